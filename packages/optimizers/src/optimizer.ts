import { Tensor, keep, noGrad, tidy, zerosLike, formatShape } from '@tensorgrad/tensor';
import { checkOptionKeys, parseArgs, refuseUnsupported, type Signature } from './args.js';

/** A value kept in an optimizer's per-parameter state: a tensor (owned by the optimizer) or a number. */
export type StateValue = Tensor | number;

/** Per-parameter optimizer state (PyTorch's `optimizer.state[p]`), e.g. `{ step, expAvg, expAvgSq }`. */
export type ParamState = Record<string, StateValue>;

/**
 * A parameter group: the parameters plus the options that apply to them. Schedulers read and
 * write its fields (`lr`, `initialLr`, `momentum`, `betas`, …).
 */
export type ParamGroup<O extends object = Record<string, unknown>> = O & { params: Tensor[]; [key: string]: unknown };

/** What optimizers accept: parameters, or parameter groups each with its own options. */
export type ParamsInput<O extends object = Record<string, unknown>> = Iterable<Tensor> | Iterable<{ params: Iterable<Tensor> } & Partial<O>>;

/** The serialisable state of an optimizer, in PyTorch's layout (parameters are referred to by index). */
export interface OptimizerStateDict {
  /** Per-parameter state keyed by the parameter's index over all groups (in group order). */
  state: Record<number, ParamState>;
  /** The groups' options, with `params` replaced by the parameters' indices. */
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** Options of {@link Optimizer.zeroGrad}. */
export interface ZeroGradOptions {
  /** Set `.grad` to `null` (freeing it) instead of filling it with zeros. Default `true` (PyTorch 2's default). */
  setToNone?: boolean;
}

function cloneValue(v: unknown): unknown {
  return Array.isArray(v) ? [...(v as unknown[])] : v;
}

/**
 * Base class of the optimizers (PyTorch's `torch.optim.Optimizer`): holds the parameter groups
 * and the per-parameter state, and implements `zeroGrad`, `stateDict`, `loadStateDict` and
 * `addParamGroup`. Subclasses implement {@link Optimizer.updateParam}; `step()` calls it under
 * `noGrad` for every parameter that has a gradient, updating the parameter in place.
 *
 * State tensors are owned by the optimizer: call {@link Optimizer.dispose} when done.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD } from '@tensorgrad/optimizers';
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.5 });
 * w.grad = tensor([1, 1]);
 * opt.step();
 * w.arraySync(); // [0.5, 1.5]
 * opt.zeroGrad();
 * w.grad; // null
 * opt.dispose();
 * w.dispose();
 * ```
 */
export abstract class Optimizer<O extends object = Record<string, unknown>> {
  /** The parameter groups, each with its own options. */
  paramGroups: Array<ParamGroup<O>> = [];
  /** Per-parameter state (created lazily on the first `step()`). */
  readonly state = new Map<Tensor, ParamState>();
  /** Default options, applied to groups that do not set them. */
  readonly defaults: O;
  /** The optimizer's name, used in error messages. */
  protected readonly name: string;

  constructor(name: string, params: ParamsInput<O>, defaults: O) {
    this.name = name;
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`${name}: params must be an iterable of tensors or of parameter groups, got a single Tensor; wrap it in an array: [param]`);
    }
    const list = params == null ? [] : [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new RangeError(`${name}: got an empty parameter list; pass the parameters to optimize, e.g. model.parameters()`);
    const groups = list.every((p) => p instanceof Tensor) ? [{ params: list as Tensor[] }] : (list as Array<{ params: Iterable<Tensor> }>);
    for (const g of groups) this.addParamGroup(g as { params: Iterable<Tensor> } & Partial<O>);
  }

  /**
   * Adds a parameter group (for example when unfreezing layers); options it lacks come from the
   * optimizer's defaults.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { SGD } from '@tensorgrad/optimizers';
   * const a = tensor([1], { requiresGrad: true });
   * const b = tensor([1], { requiresGrad: true });
   * const opt = new SGD([a], { lr: 0.1 });
   * opt.addParamGroup({ params: [b], lr: 0.01 });
   * opt.paramGroups[1]!.lr; // 0.01
   * opt.dispose();
   * ```
   */
  addParamGroup(group: { params: Iterable<Tensor> } & Partial<O>): void {
    if (group == null || typeof group !== 'object' || !('params' in group)) {
      throw new TypeError(`${this.name}: a parameter group must be an object { params: Tensor[], ...options }; got ${String(group)}`);
    }
    if (group.params instanceof Tensor) {
      throw new TypeError(`${this.name}: a parameter group's params must be an array of tensors, got a single Tensor; use { params: [p] }`);
    }
    const params = [...group.params];
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: params[${i}] of a parameter group is not a Tensor (got ${typeof p}); pass tensors, e.g. model.parameters()`);
      if (p.isDisposed) throw new Error(`${this.name}: params[${i}] was disposed; pass live parameters`);
      // a frozen parameter (requiresGrad false) is accepted and skipped while its .grad is null, as
      // PyTorch does: the book passes model.parameters() after freezing the backbone
      if (!p.isLeaf) throw new Error(`${this.name}: can't optimize a non-leaf tensor (params[${i}]); optimize the leaf parameters instead`);
    });
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    for (const p of params) {
      if (seen.has(p)) throw new Error(`${this.name}: some parameters appear in more than one parameter group; each parameter may belong to one group only`);
      seen.add(p);
    }
    // a misspelt option in a group (weight_decay) would otherwise be kept and never read
    checkOptionKeys(`${this.name} parameter group`, group, ['params', ...Object.keys(this.defaults), 'initialLr']);
    const full: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.defaults)) full[k] = cloneValue(v);
    for (const [k, v] of Object.entries(group)) if (k !== 'params' && v !== undefined) full[k] = cloneValue(v);
    full.params = params;
    this.validateGroup(full as ParamGroup<O>);
    this.paramGroups.push(full as ParamGroup<O>);
  }

  /** Checks a group's options (called for every group added); throws a clear error when one is invalid. */
  protected validateGroup(group: ParamGroup<O>): void {
    const lr = group.lr;
    if (typeof lr !== 'number' || !(lr >= 0)) {
      throw new RangeError(`${this.name}: invalid learning rate ${String(lr)}; expected a number >= 0, e.g. { lr: 0.01 }`);
    }
  }

  /**
   * Updates one parameter from its gradient (called under `noGrad` inside a `tidy` scope, so
   * temporaries are freed; new state tensors must be passed to `keep()`).
   */
  protected abstract updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void;

  /**
   * Performs one optimization step: updates every parameter that has a gradient, in place.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { Adam } from '@tensorgrad/optimizers';
   * const w = tensor([1], { requiresGrad: true });
   * const opt = new Adam([w], { lr: 0.1 });
   * w.grad = tensor([2]);
   * opt.step();
   * Math.round(w.itemSync() * 1000) / 1000; // 0.9
   * opt.dispose();
   * ```
   */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          // before the .grad test: dispose() also drops the gradient, so a disposed parameter (one
          // that model.to() replaced, say) would otherwise be skipped silently and training stall
          if (p.isDisposed) {
            throw new Error(
              `${this.name}.step: a parameter (shape ${formatShape(p.shape)}) was disposed; an optimizer can't update disposed parameters. ` +
                `model.to(...) replaces a model's parameters: create the optimizer after moving the model`,
            );
          }
          const g = p.grad;
          if (g === null) continue;
          let st = this.state.get(p);
          if (st === undefined) {
            st = {};
            this.state.set(p, st);
          }
          const state = st;
          tidy(() => this.updateParam(p, g, state, group));
        }
      }
    });
  }

  /**
   * Resets the gradients of all optimized parameters: frees them (`setToNone`, the default) or
   * fills them with zeros.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { SGD } from '@tensorgrad/optimizers';
   * const w = tensor([1], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1 });
   * w.grad = tensor([3]);
   * opt.zeroGrad({ setToNone: false });
   * w.grad!.arraySync(); // [0]
   * opt.dispose();
   * ```
   */
  zeroGrad(options: ZeroGradOptions = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else noGrad(() => p.grad!.zero_());
      }
    }
  }

  /**
   * The optimizer's state in PyTorch's layout: `{ state, paramGroups }`, parameters referred to
   * by index. Tensors in it are the optimizer's own state (not copies; clone them for a snapshot
   * that must survive further steps).
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { SGD } from '@tensorgrad/optimizers';
   * const w = tensor([1], { requiresGrad: true });
   * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
   * opt.stateDict().paramGroups[0]!.params; // [0]
   * opt.dispose();
   * ```
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') out[k] = cloneValue(v);
      out.params = g.params.map((p) => {
        const i = index.size;
        index.set(p, i);
        return i;
      });
      return out as Record<string, unknown> & { params: number[] };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, st] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...st };
    }
    return { state, paramGroups };
  }

  /**
   * Loads a state dict produced by {@link Optimizer.stateDict} (of an optimizer of the same kind
   * over parameters of the same shapes, in the same order). Tensors are copied, so the dict
   * stays owned by the caller.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { SGD } from '@tensorgrad/optimizers';
   * const w = tensor([1], { requiresGrad: true });
   * const a = new SGD([w], { lr: 0.1 });
   * const b = new SGD([w], { lr: 0.5 });
   * b.loadStateDict(a.stateDict());
   * b.paramGroups[0]!.lr; // 0.1
   * a.dispose();
   * b.dispose();
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const what = `${this.name}.loadStateDict`;
    if (stateDict == null || typeof stateDict !== 'object' || !Array.isArray(stateDict.paramGroups) || typeof stateDict.state !== 'object') {
      throw new TypeError(`${what}: expected an object { state, paramGroups } as returned by stateDict(), got ${String(stateDict)}`);
    }
    const groups = stateDict.paramGroups;
    if (groups.length !== this.paramGroups.length) {
      throw new Error(`${what}: the state dict has ${groups.length} parameter group(s) but this optimizer has ${this.paramGroups.length}; load it into an optimizer built the same way`);
    }
    const byIndex = new Map<number, Tensor>();
    groups.forEach((g, gi) => {
      const mine = this.paramGroups[gi]!;
      if (!Array.isArray(g.params) || g.params.length !== mine.params.length) {
        throw new Error(
          `${what}: parameter group ${gi} of the state dict has ${Array.isArray(g.params) ? g.params.length : 'no'} parameter(s) but this optimizer's group ${gi} has ${mine.params.length}; ` +
            'the state dict belongs to a different model or parameter grouping',
        );
      }
      g.params.forEach((idx, j) => byIndex.set(idx, mine.params[j]!));
    });
    // Validate every state entry before changing anything.
    const incoming: Array<[Tensor, ParamState]> = [];
    for (const [key, st] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw new Error(`${what}: the state dict has state for parameter index ${key}, which no parameter group refers to`);
      for (const [name, v] of Object.entries(st)) {
        if (v instanceof Tensor) {
          if (v.isDisposed) throw new Error(`${what}: state '${name}' of parameter ${key} was disposed`);
          if (v.shape.length !== p.shape.length || v.shape.some((d, i) => d !== p.shape[i])) {
            throw new RangeError(
              `${what}: state '${name}' of parameter ${key} has shape ${formatShape(v.shape)} but the parameter has shape ${formatShape(p.shape)}; the state dict belongs to a different model`,
            );
          }
        } else if (typeof v !== 'number') {
          throw new TypeError(`${what}: state '${name}' of parameter ${key} must be a Tensor or a number, got ${typeof v}`);
        }
      }
      incoming.push([p, st]);
    }
    // Copy first, then replace: the incoming tensors may be this optimizer's own state (stateDict()
    // returns the state tensors themselves, as PyTorch's does), and a copy that fails (a tensor on
    // another backend) must leave the state as it was and free the copies made so far.
    const loaded: Array<[Tensor, ParamState]> = [];
    const made: Tensor[] = [];
    try {
      noGrad(() => {
        for (const [p, st] of incoming) {
          const copy: ParamState = {};
          for (const [name, v] of Object.entries(st)) {
            if (v instanceof Tensor) {
              const t = keep(zerosLike(p));
              made.push(t);
              copy[name] = t.copy_(v);
            } else copy[name] = v;
          }
          loaded.push([p, copy]);
        }
      });
    } catch (err) {
      for (const t of made) t.dispose();
      throw err;
    }
    this.disposeState();
    for (const [p, copy] of loaded) this.state.set(p, copy);
    groups.forEach((g, gi) => {
      const mine = this.paramGroups[gi]!;
      for (const [k, v] of Object.entries(g)) if (k !== 'params') (mine as Record<string, unknown>)[k] = cloneValue(v);
    });
  }

  /**
   * Frees the optimizer's state tensors (momentum buffers, moment estimates, …). The parameters
   * themselves are not touched. The optimizer can still step afterwards (the state restarts).
   *
   * @example
   * ```ts
   * import { tensor, memory } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import { Adam } from '@tensorgrad/optimizers';
   * const w = tensor([1], { requiresGrad: true });
   * w.grad = tensor([1]);
   * const before = memory().numTensors;
   * const opt = new Adam([w]);
   * opt.step();
   * opt.dispose();
   * memory().numTensors - before; // 0
   * ```
   */
  dispose(): void {
    this.disposeState();
  }

  private disposeState(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }
}

/** @internal Returns the state tensor `key`, creating it with `init()` (kept) the first time. */
export function stateTensor(state: ParamState, key: string, init: () => Tensor): Tensor {
  const v = state[key];
  if (v instanceof Tensor) return v;
  const t = keep(init());
  state[key] = t;
  return t;
}

/** @internal Checks that an option is a finite number >= `min` (and < `maxExclusive` when given). */
export function checkRange(op: string, name: string, v: unknown, min: number, maxExclusive?: number): void {
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || (maxExclusive !== undefined && v >= maxExclusive)) {
    const range = maxExclusive === undefined ? `>= ${min}` : `in [${min}, ${maxExclusive})`;
    throw new RangeError(`${op}: invalid ${name} ${String(v)}; expected a number ${range}`);
  }
}

/**
 * PyTorch's implementation switches, accepted so that constructor calls port unchanged, but only
 * at their defaults (tensorgrad has one implementation; the others would compute the same update).
 */
export interface ImplementationOptions {
  /** PyTorch's `foreach`: `null` or `false` only. */
  foreach?: boolean | null;
  /** PyTorch's `fused` (Adam, AdamW): `null` or `false` only. */
  fused?: boolean | null;
  /** PyTorch's `capturable` (Adam, AdamW): `false` only. */
  capturable?: boolean;
  /** PyTorch's `differentiable`: `false` only. */
  differentiable?: boolean;
}

/**
 * @internal Binds an optimizer's arguments to its PyTorch signature (`params` first) and refuses
 * PyTorch's implementation switches tensorgrad does not have unless at their defaults (`foreach`,
 * `fused`, `capturable`, `differentiable`), which change nothing about the update.
 */
export function bindOptimizer<P extends string>(sig: Signature<P>, args: readonly unknown[]): Partial<Record<P, unknown>> {
  const a = parseArgs(sig, args) as Partial<Record<string, unknown>>;
  const name = sig.name;
  refuseUnsupported(name, 'foreach', a.foreach, [null, false], 'tensorgrad updates parameter by parameter (with a fused kernel where the backend has one); drop foreach, the update is the same');
  refuseUnsupported(name, 'fused', a.fused, [null, false], 'the backend picks its fused kernel by itself; drop fused');
  refuseUnsupported(name, 'capturable', a.capturable, [false], 'there is no CUDA-graph capture; drop capturable');
  refuseUnsupported(name, 'differentiable', a.differentiable, [false], 'optimizer steps run under noGrad; drop differentiable');
  return a as Partial<Record<P, unknown>>;
}

/** @internal The options an optimizer keeps: the given values, without PyTorch's implementation switches. */
export function given<T>(a: Partial<Record<string, unknown>>, keys: readonly string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (a[k] !== undefined) out[k] = a[k];
  return out as Partial<T>;
}
