import type { Optimizer } from './optimizer.js';
import { signature } from './args.js';
import { bindScheduler, type SchedulerStateDict, type VerboseOption } from './lr-scheduler.js';

const REDUCE_LR_ON_PLATEAU = signature(
  'new ReduceLROnPlateau',
  ['optimizer', 'mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'verbose'],
  { required: 1 },
);

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions extends VerboseOption {
  /** `'min'` (default): reduce when the metric stops decreasing; `'max'`: when it stops increasing. */
  mode?: 'min' | 'max';
  /** Factor by which the learning rate is reduced (`< 1`). Default 0.1. */
  factor?: number;
  /** Number of epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Threshold of significant improvement. Default 1e-4. */
  threshold?: number;
  /** `'rel'` (default): relative to the best value; `'abs'`: absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before resuming normal operation. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate (one number, or one per group). Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than `eps` are ignored. Default 1e-8. */
  eps?: number;
}

/**
 * Reduces the learning rate by `factor` when a metric has stopped improving for `patience`
 * epochs (PyTorch 1.13's `ReduceLROnPlateau`); call `step(metric)` after each validation.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, ReduceLROnPlateau } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 1 });
 * const sched = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 0 });
 * sched.step(1.0);
 * sched.step(1.0);
 * sched.getLastLr(); // [0.5]
 * opt.dispose();
 * new ReduceLROnPlateau(opt, 'max', 0.5, 3).patience; // 3
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rates are reduced. */
  readonly optimizer: Optimizer<object>;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** Best metric value seen. */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs left in the cooldown period. */
  cooldownCounter = 0;
  /** Number of `step()` calls so far. */
  lastEpoch = 0;
  private lastLr: number[];

  /** PyTorch's `ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, …)`, the options by name… */
  constructor(optimizer: Optimizer<object>, options?: ReduceLROnPlateauOptions);
  /** …or positionally in PyTorch's order (`new ReduceLROnPlateau(opt, 'max', 0.5, 3)`). */
  constructor(
    optimizer: Optimizer<object>,
    mode?: 'min' | 'max',
    factor?: number,
    patience?: number,
    threshold?: number,
    thresholdMode?: 'rel' | 'abs',
    cooldown?: number,
    minLr?: number | number[],
    eps?: number,
    verbose?: false,
    options?: ReduceLROnPlateauOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindScheduler(REDUCE_LR_ON_PLATEAU, args);
    const optimizer = a.optimizer as Optimizer<object>;
    const options = a as ReduceLROnPlateauOptions;
    if (optimizer == null || !Array.isArray((optimizer as { paramGroups?: unknown }).paramGroups)) {
      throw new TypeError(`ReduceLROnPlateau: expected an optimizer (with paramGroups) as the first argument, got ${String(optimizer)}`);
    }
    this.optimizer = optimizer;
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1)) throw new RangeError(`ReduceLROnPlateau: factor should be < 1.0, got ${this.factor}`);
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new RangeError(`ReduceLROnPlateau: expected ${n} minLr values (one per parameter group), got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = Array.from({ length: n }, () => minLr);
    }
    this.mode = options.mode ?? 'min';
    this.thresholdMode = options.thresholdMode ?? 'rel';
    if (this.mode !== 'min' && this.mode !== 'max') throw new RangeError(`ReduceLROnPlateau: mode must be 'min' or 'max', got ${String(this.mode)}`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new RangeError(`ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got ${String(this.thresholdMode)}`);
    }
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.eps = options.eps ?? 1e-8;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = this.currentLrs();
  }

  private currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => (g as Record<string, unknown>).lr as number);
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Records one epoch's metric and reduces the learning rates when it has plateaued. */
  step(metric: number): void {
    if (typeof metric !== 'number') {
      throw new TypeError(`ReduceLROnPlateau.step: expected the metric as a number (e.g. the validation loss), got ${typeof metric}; read a tensor's value with .itemSync() first`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((gr, i) => {
        const g = gr as Record<string, unknown>;
        const old = g.lr as number;
        const next = Math.max(old * this.factor, this.minLrs[i]!);
        if (old - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.currentLrs();
  }

  /** The learning rates after the last `step()` (one per parameter group). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (every field except the optimizer). */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer') out[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
    return out;
  }

  /** Restores a state returned by `stateDict()`. */
  loadStateDict(stateDict: SchedulerStateDict): void {
    if (stateDict == null || typeof stateDict !== 'object') {
      throw new TypeError(`ReduceLROnPlateau.loadStateDict: expected an object returned by stateDict(), got ${String(stateDict)}`);
    }
    const own = this.stateDict();
    for (const k of Object.keys(stateDict)) {
      if (!(k in own)) throw new Error(`ReduceLROnPlateau.loadStateDict: unexpected key '${k}'; the state dict belongs to another kind of scheduler`);
    }
    for (const k of Object.keys(own)) {
      if (!(k in stateDict)) throw new Error(`ReduceLROnPlateau.loadStateDict: missing key '${k}'; pass the object returned by ReduceLROnPlateau.stateDict()`);
    }
    for (const [k, v] of Object.entries(stateDict)) (this as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
  }
}
