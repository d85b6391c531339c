import { parseArgs, refuseUnsupported, signature, type Signature } from './args.js';
import type { Optimizer } from './optimizer.js';

const LR_SCHEDULER = signature('LRScheduler', ['optimizer', 'lastEpoch', 'verbose'], { required: 1 });
const STEP_LR = signature('new StepLR', ['optimizer', 'stepSize', 'gamma', 'lastEpoch', 'verbose'], { required: 2 });
const MULTI_STEP_LR = signature('new MultiStepLR', ['optimizer', 'milestones', 'gamma', 'lastEpoch', 'verbose'], { required: 2 });
const EXPONENTIAL_LR = signature('new ExponentialLR', ['optimizer', 'gamma', 'lastEpoch', 'verbose'], { required: 2 });
const COSINE_ANNEALING_LR = signature('new CosineAnnealingLR', ['optimizer', 'tMax', 'etaMin', 'lastEpoch', 'verbose'], { required: 2 });
const LAMBDA_LR = signature('new LambdaLR', ['optimizer', 'lrLambda', 'lastEpoch', 'verbose'], { required: 2 });

/**
 * @internal Binds a scheduler's arguments to its PyTorch signature; `verbose` (which prints in
 * PyTorch) is accepted as `false` only.
 */
export function bindScheduler<P extends string>(sig: Signature<P>, args: readonly unknown[]): Partial<Record<P, unknown>> {
  const a = parseArgs(sig, args) as Partial<Record<string, unknown>>;
  refuseUnsupported(sig.name, 'verbose', a.verbose, [false], 'tensorgrad schedulers print nothing; read scheduler.getLastLr() after step()');
  return a as Partial<Record<P, unknown>>;
}

/** PyTorch's `verbose`, accepted as `false` only. */
export interface VerboseOption {
  /** PyTorch's `verbose`: only `false` (the default) is accepted; read `getLastLr()` instead. */
  verbose?: false;
}

/** Any optimizer, whatever its options type (what schedulers accept). */
export type AnyOptimizer = Optimizer<object>;

/** The serialisable state of a scheduler: its counters and learning rates (no functions). */
export type SchedulerStateDict = Record<string, unknown>;

function copy(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copy) : v;
}

/**
 * Base class of the epoch-based learning-rate schedulers (PyTorch's `_LRScheduler`): on
 * construction it records each group's `initialLr` and sets the epoch-0 learning rate; each
 * `step()` advances `lastEpoch` and writes the new learning rates into the optimizer's groups.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, ExponentialLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.5 });
 * sched.step();
 * sched.getLastLr(); // [0.5]
 * opt.dispose();
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose learning rates are scheduled. */
  readonly optimizer: AnyOptimizer;
  /** The index of the last epoch (`-1` before the first step). */
  lastEpoch: number;
  /** Each group's initial learning rate. */
  baseLrs: number[];
  /** @internal */ protected lastLr: number[] = [];
  /** @internal */ protected stepCount = 0;
  /** The scheduler's name, used in error messages. */
  protected readonly name: string;

  /**
   * PyTorch's `LRScheduler(optimizer, last_epoch=-1, verbose=False)`, after the scheduler's name
   * (used in error messages).
   */
  constructor(name: string, optimizer: AnyOptimizer, lastEpoch?: number, options?: { lastEpoch?: number } & VerboseOption);
  constructor(name: string, ...args: unknown[]) {
    const a = bindScheduler({ ...LR_SCHEDULER, name }, args);
    const optimizer = a.optimizer as AnyOptimizer;
    const lastEpoch = (a.lastEpoch as number | undefined) ?? -1;
    this.name = name;
    if (optimizer == null || !Array.isArray((optimizer as { paramGroups?: unknown }).paramGroups)) {
      throw new TypeError(`${name}: expected an optimizer (with paramGroups) as the first argument, got ${String(optimizer)}`);
    }
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups as Array<Record<string, unknown>>;
    if (lastEpoch === -1) {
      for (const g of groups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) throw new Error(`${name}: param group ${i} has no 'initialLr', which is required when resuming with lastEpoch = ${lastEpoch}`);
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Runs the first step (call at the end of subclass constructors, once their fields are set). */
  protected initialStep(): void {
    this.step();
  }

  /** The learning rates for `this.lastEpoch` (PyTorch's recursive `get_lr`). */
  protected abstract getLr(): number[];

  /** @internal The current learning rate of each group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => (g as Record<string, unknown>).lr as number);
  }

  /** Advances one epoch and sets the new learning rates. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      (g as Record<string, unknown>).lr = lrs[i];
    });
    this.lastLr = [...lrs];
  }

  /** The learning rates set by the last `step()` (one per parameter group). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (every field except the optimizer and functions), like PyTorch's `state_dict()`. */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === 'optimizer' || k === 'name' || typeof v === 'function') continue;
      out[k] = copy(v);
    }
    return out;
  }

  /** Restores a state returned by `stateDict()` of a scheduler of the same kind. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    if (stateDict == null || typeof stateDict !== 'object') {
      throw new TypeError(`${this.name}.loadStateDict: expected an object returned by stateDict(), got ${String(stateDict)}`);
    }
    const own = this.stateDict();
    for (const k of Object.keys(stateDict)) {
      if (!(k in own)) {
        throw new Error(`${this.name}.loadStateDict: unexpected key '${k}' (this scheduler's keys are ${Object.keys(own).join(', ')}); the state dict belongs to another kind of scheduler`);
      }
    }
    for (const k of Object.keys(own)) {
      if (!(k in stateDict)) throw new Error(`${this.name}.loadStateDict: missing key '${k}'; pass the object returned by stateDict() of a ${this.name}`);
    }
    for (const [k, v] of Object.entries(stateDict)) (this as unknown as Record<string, unknown>)[k] = copy(v);
  }
}

/** Options of {@link StepLR}. */
export interface StepLROptions extends VerboseOption {
  /** Period of learning-rate decay, in epochs (required). */
  stepSize: number;
  /** Multiplicative factor of learning-rate decay. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch when resuming. Default -1. */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, StepLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 1 });
 * const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * sched.step();
 * sched.step();
 * opt.paramGroups[0]!.lr; // 0.5
 * opt.dispose();
 * new StepLR(opt, 2, 0.5).gamma; // 0.5
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of decay in epochs. */
  stepSize: number;
  /** Decay factor. */
  gamma: number;

  /** PyTorch's `StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False)`, the options by name… */
  constructor(optimizer: AnyOptimizer, options: StepLROptions);
  /** …or positionally (`new StepLR(opt, 10, 0.5)`). */
  constructor(optimizer: AnyOptimizer, stepSize: number, gamma?: number, lastEpoch?: number, verbose?: false, options?: Partial<StepLROptions>);
  constructor(...args: unknown[]) {
    const a = bindScheduler(STEP_LR, args);
    super('StepLR', a.optimizer as AnyOptimizer, (a.lastEpoch as number | undefined) ?? -1);
    const stepSize = a.stepSize as number;
    if (!Number.isInteger(stepSize) || stepSize <= 0) {
      throw new RangeError(`StepLR: stepSize must be a positive integer, got ${String(stepSize)}; e.g. new StepLR(opt, { stepSize: 10 })`);
    }
    this.stepSize = stepSize;
    this.gamma = (a.gamma as number | undefined) ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions extends VerboseOption {
  /** Epoch indices at which the learning rate is multiplied by `gamma` (required). */
  milestones: number[];
  /** Multiplicative factor of learning-rate decay. Default 0.1. */
  gamma?: number;
  /** Index of the last epoch when resuming. Default -1. */
  lastEpoch?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` at each milestone epoch (PyTorch's
 * `MultiStepLR`; a milestone listed twice applies `gamma` twice).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, MultiStepLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 1 });
 * const sched = new MultiStepLR(opt, { milestones: [1, 3], gamma: 0.5 });
 * sched.step();
 * sched.getLastLr(); // [0.5]
 * opt.dispose();
 * new MultiStepLR(opt, [3, 1], 0.5).milestones; // [1, 3]
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Sorted milestones. */
  milestones: number[];
  /** Decay factor. */
  gamma: number;

  /** PyTorch's `MultiStepLR(optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False)`, the options by name… */
  constructor(optimizer: AnyOptimizer, options: MultiStepLROptions);
  /** …or positionally (`new MultiStepLR(opt, [30, 80], 0.1)`). */
  constructor(optimizer: AnyOptimizer, milestones: number[], gamma?: number, lastEpoch?: number, verbose?: false, options?: Partial<MultiStepLROptions>);
  constructor(...args: unknown[]) {
    const a = bindScheduler(MULTI_STEP_LR, args);
    super('MultiStepLR', a.optimizer as AnyOptimizer, (a.lastEpoch as number | undefined) ?? -1);
    const milestones = a.milestones;
    if (!Array.isArray(milestones) || !milestones.every((m) => Number.isInteger(m))) {
      throw new TypeError(`MultiStepLR: milestones must be an array of integer epochs, got ${String(milestones)}; e.g. { milestones: [30, 80] }`);
    }
    this.milestones = [...(milestones as number[])].sort((x, y) => x - y);
    this.gamma = (a.gamma as number | undefined) ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.groupLrs();
    if (count === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma ** count);
  }
}

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions extends VerboseOption {
  /** Multiplicative factor of learning-rate decay per epoch (required). */
  gamma: number;
  /** Index of the last epoch when resuming. Default -1. */
  lastEpoch?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every epoch (PyTorch's `ExponentialLR`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, ExponentialLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.5 });
 * sched.step();
 * sched.step();
 * sched.getLastLr(); // [0.25]
 * opt.dispose();
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Decay factor. */
  gamma: number;

  /** PyTorch's `ExponentialLR(optimizer, gamma, last_epoch=-1, verbose=False)`, the options by name… */
  constructor(optimizer: AnyOptimizer, options: ExponentialLROptions);
  /** …or positionally (`new ExponentialLR(opt, 0.9)`). */
  constructor(optimizer: AnyOptimizer, gamma: number, lastEpoch?: number, verbose?: false, options?: Partial<ExponentialLROptions>);
  constructor(...args: unknown[]) {
    const a = bindScheduler(EXPONENTIAL_LR, args);
    super('ExponentialLR', a.optimizer as AnyOptimizer, (a.lastEpoch as number | undefined) ?? -1);
    if (typeof a.gamma !== 'number') throw new TypeError(`ExponentialLR: gamma is required, got ${String(a.gamma)}; e.g. new ExponentialLR(opt, { gamma: 0.9 })`);
    this.gamma = a.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions extends VerboseOption {
  /** Number of epochs of the half cosine (required). */
  tMax: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
  /** Index of the last epoch when resuming. Default -1. */
  lastEpoch?: number;
}

/**
 * Cosine annealing from each group's initial learning rate down to `etaMin` over `tMax` epochs,
 * in PyTorch's recursive form (past `tMax` it follows the cosine back up, period `2·tMax`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, CosineAnnealingLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 2 });
 * sched.step();
 * Math.round(sched.getLastLr()[0]! * 1e9) / 1e9; // 0.5
 * opt.dispose();
 * new CosineAnnealingLR(opt, 2, 0.1).etaMin; // 0.1
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period in epochs. */
  tMax: number;
  /** Minimum learning rate. */
  etaMin: number;

  /** PyTorch's `CosineAnnealingLR(optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False)`, the options by name… */
  constructor(optimizer: AnyOptimizer, options: CosineAnnealingLROptions);
  /** …or positionally (`new CosineAnnealingLR(opt, 50, 1e-5)`). */
  constructor(optimizer: AnyOptimizer, tMax: number, etaMin?: number, lastEpoch?: number, verbose?: false, options?: Partial<CosineAnnealingLROptions>);
  constructor(...args: unknown[]) {
    const a = bindScheduler(COSINE_ANNEALING_LR, args);
    super('CosineAnnealingLR', a.optimizer as AnyOptimizer, (a.lastEpoch as number | undefined) ?? -1);
    const tMax = a.tMax;
    if (!(typeof tMax === 'number' && tMax > 0)) {
      throw new RangeError(`CosineAnnealingLR: tMax must be a positive number of epochs, got ${String(tMax)}; e.g. { tMax: 50 }`);
    }
    this.tMax = tMax;
    this.etaMin = (a.etaMin as number | undefined) ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const e = this.lastEpoch;
    const T = this.tMax;
    const lrs = this.groupLrs();
    if (e === 0) return lrs;
    const m = 2 * T;
    if ((((e - 1 - T) % m) + m) % m === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i]! - this.etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return lrs.map(
      (lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - this.etaMin) + this.etaMin,
    );
  }
}

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions extends VerboseOption {
  /** The factor applied to the initial learning rate at each epoch: `lr = initialLr · lrLambda(epoch)` (required). */
  lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number>;
  /** Index of the last epoch when resuming. Default -1. */
  lastEpoch?: number;
}

/**
 * Sets each group's learning rate to its initial value times `lrLambda(epoch)` (PyTorch's
 * `LambdaLR`; one function, or one per parameter group). The functions are not saved by
 * `stateDict()`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, LambdaLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 2 });
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 1 / (epoch + 1) });
 * sched.step();
 * sched.getLastLr(); // [1]
 * opt.dispose();
 * ```
 */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: Array<(epoch: number) => number>;

  /** PyTorch's `LambdaLR(optimizer, lr_lambda, last_epoch=-1, verbose=False)`, the options by name… */
  constructor(optimizer: AnyOptimizer, options: LambdaLROptions);
  /** …or positionally (`new LambdaLR(opt, (e) => 0.95 ** e)`). */
  constructor(optimizer: AnyOptimizer, lrLambda: LambdaLROptions['lrLambda'], lastEpoch?: number, verbose?: false, options?: Partial<LambdaLROptions>);
  constructor(...args: unknown[]) {
    const a = bindScheduler(LAMBDA_LR, args);
    const optimizer = a.optimizer as AnyOptimizer;
    super('LambdaLR', optimizer, (a.lastEpoch as number | undefined) ?? -1);
    const f = a.lrLambda as LambdaLROptions['lrLambda'] | undefined;
    const n = optimizer.paramGroups.length;
    if (typeof f === 'function') this.lambdas = Array.from({ length: n }, () => f);
    else if (Array.isArray(f) && f.length === n && f.every((x) => typeof x === 'function')) this.lambdas = [...f];
    else {
      throw new TypeError(
        `LambdaLR: lrLambda must be a function or an array of ${n} functions (one per parameter group), got ${Array.isArray(f) ? `an array of ${f.length}` : typeof f}; e.g. { lrLambda: (epoch) => 0.95 ** epoch }`,
      );
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lambdas[i]!(this.lastEpoch));
  }

  override stateDict(): SchedulerStateDict {
    const out = super.stateDict();
    delete out.lambdas;
    return out;
  }
}
