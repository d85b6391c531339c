import { Tensor, cat, enableGrad, keep, noGrad, stack, tensor, tidy, zeros } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { Optimizer, bindOptimizer, checkRange, given, type OptimizerStateDict, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

const LBFGS_SIG = signature('new LBFGS', ['params', 'lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'], { required: 1 });

/** Options of {@link LBFGS} (PyTorch's keyword names in camelCase). */
export interface LBFGSOptions {
  /** Learning rate: the step length of each iteration (default 1). */
  lr?: number;
  /** Maximal number of iterations per `step()` (default 20). */
  maxIter?: number;
  /** Maximal number of closure evaluations per `step()` (default `floor(maxIter · 5 / 4)`). */
  maxEval?: number | null;
  /** Stop when the largest gradient entry is at most this (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss or the parameters change less than this (default 1e-9). */
  toleranceChange?: number;
  /** Number of curvature pairs kept (default 100). */
  historySize?: number;
  /** `null` (default: fixed steps of `lr`) or `'strong_wolfe'` (a line search satisfying the strong Wolfe conditions). */
  lineSearchFn?: 'strong_wolfe' | null;
}

/** The closure of {@link LBFGS.step}: zeroes the gradients, computes the loss, calls `backward()` and returns the loss. */
export type LBFGSClosure = () => Tensor | number | Promise<Tensor | number>;

/** What L-BFGS remembers between steps (PyTorch's `state[params[0]]`). */
interface History {
  funcEvals: number;
  nIter: number;
  d: Tensor | null;
  t: number | null;
  hDiag: number | null;
  prevFlatGrad: Tensor | null;
  prevLoss: number | null;
  oldDirs: Tensor[];
  oldStps: Tensor[];
  ro: number[];
}

const emptyHistory = (): History => ({ funcEvals: 0, nIter: 0, d: null, t: null, hDiag: null, prevFlatGrad: null, prevLoss: null, oldDirs: [], oldStps: [], ro: [] });

/** The one parameter group of {@link LBFGS}: its parameters and every option resolved (`maxEval` computed). */
export type LBFGSGroup = ParamGroup<Required<Omit<LBFGSOptions, 'maxEval'>> & { maxEval: number; lineSearchFn: 'strong_wolfe' | null }>;
type Group = LBFGSGroup;

/** PyTorch's `_cubic_interpolate`: the minimiser of the cubic through two points with slopes, clamped to `bounds`. */
function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** A 0-d reduction read back and freed. */
async function scalar(t: Tensor): Promise<number> {
  try {
    return Number(await t.item());
  } finally {
    t.dispose();
  }
}

const dot = (a: Tensor, b: Tensor): Promise<number> => scalar(noGrad(() => tidy(() => a.mul(b).sum())));
const absMax = (a: Tensor): Promise<number> => scalar(noGrad(() => tidy(() => a.abs().max())));

/**
 * L-BFGS (PyTorch 1.13's `torch.optim.LBFGS`, after minFunc): a quasi-Newton method that keeps
 * the last `historySize` curvature pairs and, at each of up to `maxIter` iterations per
 * `step(closure)`, moves along the two-loop-recursion direction by `lr` or by a strong-Wolfe line
 * search (`lineSearchFn: 'strong_wolfe'`). `step` needs a closure that zeroes the gradients,
 * computes the loss, calls `backward()` and returns the loss (it may be async); `step` is async
 * and resolves to the closure's first loss. As in PyTorch, only one parameter group is allowed
 * and every parameter must have the same dtype and backend.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * import { LBFGS } from '@tensorgrad/optimizers';
 * const x = tensor([1.5, -0.5], { requiresGrad: true, dtype: 'float64' });
 * const opt = new LBFGS([x], { lineSearchFn: 'strong_wolfe' });
 * const closure = () => {
 *   opt.zeroGrad();
 *   const loss = x.sub(tensor([3, 2], { dtype: 'float64' })).square().sum(); // minimum at (3, 2)
 *   loss.backward();
 *   return loss;
 * };
 * await opt.step(closure);
 * x.arraySync().map((v) => Math.round(v * 1e6) / 1e6); // [3, 2]
 * opt.dispose();
 * ```
 */
export class LBFGS extends Optimizer<Group> {
  /** PyTorch's `LBFGS(params, lr=1, max_iter=20, …)` with the options by name… */
  constructor(params: ParamsInput<LBFGSOptions>, options?: LBFGSOptions);
  /** …or positionally in PyTorch's order (lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn). */
  constructor(
    params: ParamsInput<LBFGSOptions>,
    lr?: number,
    maxIter?: number,
    maxEval?: number | null,
    toleranceGrad?: number,
    toleranceChange?: number,
    historySize?: number,
    lineSearchFn?: 'strong_wolfe' | null,
    options?: LBFGSOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindOptimizer(LBFGS_SIG, args);
    const o = given<LBFGSOptions>(a, ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn']);
    const maxIter = o.maxIter ?? 20;
    if (typeof maxIter !== 'number' || !Number.isInteger(maxIter) || maxIter < 1) {
      throw new RangeError(`LBFGS: expected maxIter to be a positive integer, got ${String(maxIter)}`);
    }
    super('LBFGS', a.params as ParamsInput<Group>, {
      lr: o.lr ?? 1,
      maxIter,
      maxEval: o.maxEval ?? Math.floor((maxIter * 5) / 4),
      toleranceGrad: o.toleranceGrad ?? 1e-7,
      toleranceChange: o.toleranceChange ?? 1e-9,
      historySize: o.historySize ?? 100,
      lineSearchFn: o.lineSearchFn ?? null,
    } as unknown as Group);
    if (this.paramGroups.length !== 1) {
      throw new Error(`LBFGS doesn't support per-parameter options (parameter groups): got ${this.paramGroups.length} groups; pass one list of parameters`);
    }
  }

  /** Refuses a second parameter group (PyTorch's restriction), then checks the options. */
  override addParamGroup(group: { params: Iterable<Tensor> } & Partial<Group>): void {
    if (this.paramGroups.length >= 1) {
      throw new Error("LBFGS doesn't support per-parameter options (parameter groups): it optimises one list of parameters; pass them all at construction");
    }
    super.addParamGroup(group);
  }

  protected override validateGroup(group: Group): void {
    super.validateGroup(group);
    checkRange('LBFGS', 'maxEval', group.maxEval, 1);
    checkRange('LBFGS', 'toleranceGrad', group.toleranceGrad, 0);
    checkRange('LBFGS', 'toleranceChange', group.toleranceChange, 0);
    if (!Number.isInteger(group.historySize) || group.historySize < 1) {
      throw new RangeError(`LBFGS: expected historySize to be a positive integer, got ${String(group.historySize)}`);
    }
    if (group.lineSearchFn !== null && group.lineSearchFn !== 'strong_wolfe') {
      throw new RangeError(`LBFGS: only 'strong_wolfe' is supported as lineSearchFn (or null for fixed steps), got ${JSON.stringify(group.lineSearchFn)}`);
    }
    const [first, ...rest] = group.params;
    for (const p of rest) {
      if (p.dtype !== first!.dtype || p.backend !== first!.backend) {
        throw new TypeError(
          `LBFGS: every parameter must have the same dtype and backend (got ${first!.dtype} on '${first!.backend}' and ${p.dtype} on '${p.backend}'); convert them first`,
        );
      }
    }
  }

  /** Not used: L-BFGS updates all parameters together in {@link LBFGS.step}. */
  protected updateParam(): void {
    throw new Error('LBFGS: parameters are updated by step(closure), which needs the closure; call opt.step(closure)');
  }

  get #params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  #gatherFlatGrad(): Tensor {
    return noGrad(() => tidy(() => cat(this.#params.map((p) => (p.grad ?? zeros([p.numel()], { dtype: p.dtype, backend: p.backend })).reshape([-1])), 0)));
  }

  #addGrad(stepSize: number, update: Tensor): void {
    noGrad(() =>
      tidy(() => {
        let offset = 0;
        for (const p of this.#params) {
          const n = p.numel();
          p.add_(update.narrow(0, offset, n).reshape(p.shape), { alpha: stepSize });
          offset += n;
        }
      }),
    );
  }

  async #evaluate(closure: LBFGSClosure): Promise<[Tensor | number, number]> {
    const loss = await enableGrad(() => closure());
    if (loss instanceof Tensor) return [loss, Number(await loss.item())];
    if (typeof loss !== 'number') throw new TypeError(`LBFGS.step: the closure must return the loss (a Tensor or a number), got ${typeof loss}`);
    return [loss, loss];
  }

  /**
   * One optimisation step: up to `maxIter` L-BFGS iterations (at most `maxEval` closure
   * calls), exactly as PyTorch's `LBFGS.step`. Resolves to the loss of the closure's first call.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import '@tensorgrad/autodiff';
   * import { LBFGS } from '@tensorgrad/optimizers';
   * const w = tensor([0], { requiresGrad: true, dtype: 'float64' });
   * const opt = new LBFGS([w], { maxIter: 5 });
   * const loss = await opt.step(async () => {
   *   opt.zeroGrad();
   *   const l = w.sub(1).square().sum();
   *   l.backward();
   *   return l;
   * });
   * await (loss as { item(): Promise<number> }).item(); // 1
   * opt.dispose();
   * ```
   */
  override step(closure?: LBFGSClosure): Promise<Tensor | number>;
  override async step(closure?: LBFGSClosure): Promise<Tensor | number> {
    if (typeof closure !== 'function') {
      throw new TypeError('LBFGS.step: a closure is required: opt.step(() => { opt.zeroGrad(); const loss = …; loss.backward(); return loss; })');
    }
    // a state dict loaded on a backend without synchronous reads: its `ro` values arrive first
    if (this.#pendingRo) {
      const pending = this.#pendingRo;
      await pending.done;
      if (pending.failure && this.#pendingRo === pending) {
        throw new Error(`LBFGS.step: reading back the 'ro' history of the loaded state dict failed (${pending.failure.message}); load the state dict again`);
      }
    }
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const state = this.#history();

    const [origLoss, firstLoss] = await this.#evaluate(closure);
    let loss = firstLoss;
    let currentEvals = 1;
    state.funcEvals++;
    let flatGrad = this.#gatherFlatGrad();
    let optCond = (await absMax(flatGrad)) <= toleranceGrad;
    if (optCond) {
      flatGrad.dispose();
      this.#saveHistory(state);
      return origLoss;
    }

    let { d, t, hDiag, prevFlatGrad, prevLoss } = state;
    const { oldDirs, oldStps, ro } = state;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.nIter++;
      if (state.nIter === 1) {
        d?.dispose();
        d = noGrad(() => flatGrad.neg());
        for (const v of [...oldDirs, ...oldStps]) v.dispose();
        oldDirs.length = 0;
        oldStps.length = 0;
        ro.length = 0;
        hDiag = 1;
      } else {
        const y = noGrad(() => flatGrad.sub(prevFlatGrad!));
        const s = noGrad(() => d!.mul(t!));
        const ys = await dot(y, s);
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift()!.dispose();
            oldStps.shift()!.dispose();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / (await dot(y, y));
        } else {
          y.dispose();
          s.dispose();
        }
        // the two-loop recursion: d = -H·g with H the L-BFGS inverse-Hessian approximation
        const al = new Array<number>(oldDirs.length);
        const q = noGrad(() => flatGrad.neg());
        for (let i = oldDirs.length - 1; i >= 0; i--) {
          al[i] = (await dot(oldStps[i]!, q)) * ro[i]!;
          noGrad(() => q.add_(oldDirs[i]!, { alpha: -al[i]! }));
        }
        const r = noGrad(() => q.mul(hDiag!));
        q.dispose();
        for (let i = 0; i < oldDirs.length; i++) {
          const be = (await dot(oldDirs[i]!, r)) * ro[i]!;
          noGrad(() => r.add_(oldStps[i]!, { alpha: al[i]! - be }));
        }
        d!.dispose();
        d = r;
      }
      if (prevFlatGrad === null) prevFlatGrad = noGrad(() => flatGrad.clone());
      else noGrad(() => prevFlatGrad!.copy_(flatGrad));
      prevLoss = loss;

      if (state.nIter === 1) {
        const absSum = await scalar(noGrad(() => tidy(() => flatGrad.abs().sum())));
        t = Math.min(1, 1 / absSum) * lr;
      } else {
        t = lr;
      }
      const gtd = await dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        const xInit = noGrad(() => this.#params.map((p) => p.clone()));
        try {
          const res = await this.#strongWolfe(closure, xInit, t, d, loss, flatGrad, gtd, toleranceChange);
          loss = res.loss;
          flatGrad.dispose();
          flatGrad = res.flatGrad;
          t = res.t;
          lsFuncEvals = res.evals;
        } finally {
          for (const x of xInit) x.dispose();
        }
        this.#addGrad(t, d);
        optCond = (await absMax(flatGrad)) <= toleranceGrad;
      } else {
        this.#addGrad(t, d);
        if (nIter !== maxIter) {
          const [l, v] = await this.#evaluate(closure);
          if (l instanceof Tensor && l !== origLoss) l.dispose();
          loss = v;
          flatGrad.dispose();
          flatGrad = this.#gatherFlatGrad();
          optCond = (await absMax(flatGrad)) <= toleranceGrad;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.funcEvals += lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if ((await scalar(noGrad(() => tidy(() => d!.mul(t!).abs().max())))) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss!) < toleranceChange) break;
    }
    flatGrad.dispose();
    this.#saveHistory({ funcEvals: state.funcEvals, nIter: state.nIter, d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }

  async #directionalEvaluate(closure: LBFGSClosure, x: readonly Tensor[], t: number, d: Tensor): Promise<[number, Tensor]> {
    this.#addGrad(t, d);
    const [l, loss] = await this.#evaluate(closure);
    if (l instanceof Tensor) l.dispose();
    const flatGrad = this.#gatherFlatGrad();
    noGrad(() => this.#params.forEach((p, i) => p.copy_(x[i]!)));
    return [loss, flatGrad];
  }

  // PyTorch's _strong_wolfe (c1 = 1e-4, c2 = 0.9, maxLs = 25), with the same branches in the same order.
  async #strongWolfe(
    closure: LBFGSClosure,
    x: readonly Tensor[],
    t0: number,
    d: Tensor,
    f: number,
    g0: Tensor,
    gtd: number,
    toleranceChange: number,
  ): Promise<{ loss: number; flatGrad: Tensor; t: number; evals: number }> {
    const c1 = 1e-4;
    const c2 = 0.9;
    const maxLs = 25;
    let t = t0;
    const dNorm = await absMax(d);
    const g = noGrad(() => g0.clone());
    const owned = new Set<Tensor>([g]);
    const own = (v: Tensor): Tensor => (owned.add(v), v);
    let [fNew, gNew] = await this.#directionalEvaluate(closure, x, t, d);
    own(gNew);
    let lsFuncEvals = 1;
    let gtdNew = await dot(gNew, d);
    let tPrev = 0;
    let fPrev = f;
    let gPrev = g;
    let gtdPrev = gtd;
    let done = false;
    let lsIter = 0;
    let bracket: number[] = [];
    let bracketF: number[] = [];
    let bracketG: Tensor[] = [];
    let bracketGtd: number[] = [];
    while (lsIter < maxLs) {
      if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
        bracket = [tPrev, t];
        bracketF = [fPrev, fNew];
        bracketG = [gPrev, gNew];
        bracketGtd = [gtdPrev, gtdNew];
        break;
      }
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        bracket = [t];
        bracketF = [fNew];
        bracketG = [gNew];
        done = true;
        break;
      }
      if (gtdNew >= 0) {
        bracket = [tPrev, t];
        bracketF = [fPrev, fNew];
        bracketG = [gPrev, gNew];
        bracketGtd = [gtdPrev, gtdNew];
        break;
      }
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
      tPrev = tmp;
      fPrev = fNew;
      gPrev = gNew;
      gtdPrev = gtdNew;
      [fNew, gNew] = await this.#directionalEvaluate(closure, x, t, d);
      own(gNew);
      lsFuncEvals++;
      gtdNew = await dot(gNew, d);
      lsIter++;
    }
    if (lsIter === maxLs) {
      bracket = [0, t];
      bracketF = [f, fNew];
      bracketG = [g, gNew];
    }
    let insufProgress = false;
    let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
    while (!done && lsIter < maxLs) {
      if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
      t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
      const hi = Math.max(...bracket);
      const lo = Math.min(...bracket);
      const eps = 0.1 * (hi - lo);
      if (Math.min(hi - t, t - lo) < eps) {
        if (insufProgress || t >= hi || t <= lo) {
          t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      [fNew, gNew] = await this.#directionalEvaluate(closure, x, t, d);
      own(gNew);
      lsFuncEvals++;
      gtdNew = await dot(gNew, d);
      lsIter++;
      if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]!) {
        bracket[highPos] = t;
        bracketF[highPos] = fNew;
        bracketG[highPos] = gNew;
        bracketGtd[highPos] = gtdNew;
        [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) {
          done = true;
        } else if (gtdNew * (bracket[highPos]! - bracket[lowPos]!) >= 0) {
          bracket[highPos] = bracket[lowPos]!;
          bracketF[highPos] = bracketF[lowPos]!;
          bracketG[highPos] = bracketG[lowPos]!;
          bracketGtd[highPos] = bracketGtd[lowPos]!;
        }
        bracket[lowPos] = t;
        bracketF[lowPos] = fNew;
        bracketG[lowPos] = gNew;
        bracketGtd[lowPos] = gtdNew;
      }
    }
    // PyTorch clones each gradient it keeps; here every evaluated gradient is a fresh tensor,
    // so the kept one is returned and the others freed
    const result = bracketG[lowPos]!;
    for (const v of owned) if (v !== result) v.dispose();
    return { loss: bracketF[lowPos]!, flatGrad: result, t: bracket[lowPos]!, evals: lsFuncEvals };
  }

  #history(): History {
    const h = this.#hist;
    return { ...h, oldDirs: [...h.oldDirs], oldStps: [...h.oldStps], ro: [...h.ro] };
  }

  // Frees the tensors of the previous history that the new one no longer holds.
  #saveHistory(h: History): void {
    const kept = new Set([h.d, h.prevFlatGrad, ...h.oldDirs, ...h.oldStps]);
    for (const v of [this.#hist.d, this.#hist.prevFlatGrad, ...this.#hist.oldDirs, ...this.#hist.oldStps]) if (v && !kept.has(v)) v.dispose();
    for (const v of kept) if (v) keep(v);
    this.#hist = h;
  }

  #hist: History = emptyHistory();

  // `ro` of a state dict loaded on a backend that cannot read synchronously (webgpu): a copy of the
  // loaded tensor, read back asynchronously into the history; step() waits for it
  #pendingRo: { tensor: Tensor; done: Promise<void>; failure?: Error } | null = null;

  // Reads a copy of the loaded `ro` back into the history; a later load or dispose() supersedes it
  #readRoBack(copy: Tensor): void {
    const pending: { tensor: Tensor; done: Promise<void>; failure?: Error } = {
      tensor: copy,
      done: copy
        .data()
        .then(
          (values) => {
            if (this.#pendingRo !== pending) return;
            this.#hist = { ...this.#hist, ro: Array.from(values, Number) };
            this.#pendingRo = null;
          },
          (err: unknown) => {
            pending.failure = err instanceof Error ? err : new Error(String(err));
          },
        )
        .finally(() => copy.dispose()),
    };
    this.#pendingRo = pending;
  }

  /**
   * The optimizer's state in PyTorch's layout: `state[0]` holds `funcEvals`, `nIter` and, after
   * a first iteration, `d`, `t`, `hDiag`, `prevFlatGrad`, `prevLoss` and the curvature history
   * stacked (`oldDirs` and `oldStps` `[k, numel]`, `ro` `[k]`), in the parameters' dtype. The tensors are copies.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { LBFGS } from '@tensorgrad/optimizers';
   * const opt = new LBFGS([tensor([1], { requiresGrad: true })], { historySize: 10 });
   * opt.stateDict().paramGroups[0]!.historySize; // 10
   * opt.stateDict().state[0]!.nIter; // 0
   * ```
   */
  override stateDict(): OptimizerStateDict {
    const base = super.stateDict();
    const h = this.#hist;
    const st: ParamState = { funcEvals: h.funcEvals, nIter: h.nIter };
    noGrad(() => {
      if (h.d) st.d = h.d.clone();
      if (h.t !== null) st.t = h.t;
      if (h.hDiag !== null) st.hDiag = h.hDiag;
      if (h.prevFlatGrad) st.prevFlatGrad = h.prevFlatGrad.clone();
      if (h.prevLoss !== null) st.prevLoss = h.prevLoss;
      if (h.d) {
        const n = h.d.numel();
        const where = { dtype: h.d.dtype, backend: h.d.backend };
        st.oldDirs = h.oldDirs.length ? stack(h.oldDirs) : zeros([0, n], where);
        st.oldStps = h.oldStps.length ? stack(h.oldStps) : zeros([0, n], where);
        // while a loaded `ro` is still being read back, the loaded tensor is its value
        st.ro = this.#pendingRo ? this.#pendingRo.tensor.clone() : tensor(h.ro, where);
      }
    });
    return { ...base, state: { 0: st } };
  }

  /**
   * Loads a state dict from {@link LBFGS.stateDict} (of an L-BFGS over parameters of the same
   * total size); its tensors are copied.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { LBFGS } from '@tensorgrad/optimizers';
   * const w = tensor([1], { requiresGrad: true });
   * const b = new LBFGS([w], { lr: 0.5 });
   * b.loadStateDict(new LBFGS([w]).stateDict());
   * b.paramGroups[0]!.lr; // 1
   * ```
   */
  override loadStateDict(stateDict: OptimizerStateDict): void {
    const what = 'LBFGS.loadStateDict';
    if (stateDict == null || typeof stateDict !== 'object' || !Array.isArray(stateDict.paramGroups) || typeof stateDict.state !== 'object') {
      throw new TypeError(`${what}: expected an object { state, paramGroups } as returned by stateDict(), got ${String(stateDict)}`);
    }
    const numel = this.#params.reduce((s, p) => s + p.numel(), 0);
    const st = (stateDict.state[0] ?? {}) as Record<string, unknown>;
    const extra = Object.keys(stateDict.state).filter((k) => k !== '0');
    if (extra.length) throw new Error(`${what}: L-BFGS keeps its state under parameter 0 only, got state for parameter(s) ${extra.join(', ')}`);
    const num = (k: string): number | null => {
      const v = st[k];
      if (v === undefined) return null;
      if (typeof v !== 'number') throw new TypeError(`${what}: state '${k}' must be a number, got ${typeof v}`);
      return v;
    };
    const vec = (k: string, shape: (s: readonly number[]) => boolean, expected: string): Tensor | null => {
      const v = st[k];
      if (v === undefined) return null;
      if (!(v instanceof Tensor)) throw new TypeError(`${what}: state '${k}' must be a Tensor, got ${typeof v}`);
      if (!shape(v.shape)) throw new RangeError(`${what}: state '${k}' must have shape ${expected}, got [${v.shape.join(', ')}]; the state dict belongs to a different model`);
      return v;
    };
    const d = vec('d', (s) => s.length === 1 && s[0] === numel, `[${numel}]`);
    const prev = vec('prevFlatGrad', (s) => s.length === 1 && s[0] === numel, `[${numel}]`);
    const dirs = vec('oldDirs', (s) => s.length === 2 && s[1] === numel, `[k, ${numel}]`);
    const stps = vec('oldStps', (s) => s.length === 2 && s[1] === numel, `[k, ${numel}]`);
    const ro = vec('ro', (s) => s.length === 1, '[k]');
    const k = dirs?.shape[0] ?? 0;
    if ((stps?.shape[0] ?? 0) !== k || (ro?.shape[0] ?? 0) !== k) {
      throw new RangeError(`${what}: oldDirs, oldStps and ro must hold the same number of pairs, got ${k}, ${stps?.shape[0] ?? 0} and ${ro?.shape[0] ?? 0}`);
    }
    const like = this.#params[0]!;
    const h: History = {
      funcEvals: num('funcEvals') ?? 0,
      nIter: num('nIter') ?? 0,
      t: num('t'),
      hDiag: num('hDiag'),
      prevLoss: num('prevLoss'),
      d: null,
      prevFlatGrad: null,
      oldDirs: [],
      oldStps: [],
      ro: ro && ro.backendInstance.readSync ? Array.from(ro.dataSync(), Number) : [],
    };
    // every tensor made here is either kept in the history or freed, also when a copy fails (a
    // tensor on another backend): the rows of oldDirs/oldStps are views, freed once copied
    const made: Tensor[] = [];
    try {
      noGrad(() => {
        const copy = (v: Tensor): Tensor => {
          const t = zeros([...v.shape], { dtype: like.dtype, backend: like.backend });
          made.push(t);
          return t.copy_(v);
        };
        const copyRow = (m: Tensor, i: number): Tensor => {
          const row = m.select(0, i);
          try {
            return copy(row);
          } finally {
            row.dispose();
          }
        };
        h.d = d && copy(d);
        h.prevFlatGrad = prev && copy(prev);
        for (let i = 0; i < k; i++) {
          h.oldDirs.push(copyRow(dirs!, i));
          h.oldStps.push(copyRow(stps!, i));
        }
      });
    } catch (err) {
      for (const t of made) t.dispose();
      throw err;
    }
    super.loadStateDict({ state: {}, paramGroups: stateDict.paramGroups });
    this.#saveHistory(h);
    this.#pendingRo = null;
    // a backend without synchronous reads (webgpu): read a copy back, which step() awaits
    if (ro && !ro.backendInstance.readSync) this.#readRoBack(keep(noGrad(() => ro.clone())));
  }

  /** Frees the optimizer's history tensors (the parameters are not touched). */
  override dispose(): void {
    super.dispose();
    this.#pendingRo = null; // an unfinished read-back frees its copy when it lands
    this.#saveHistory(emptyHistory());
  }
}
