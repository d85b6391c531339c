import type { Optimizer } from './optimizer.js';
import { signature } from './args.js';
import { LRScheduler, bindScheduler, type VerboseOption } from './lr-scheduler.js';

const ONE_CYCLE_LR = signature(
  'new OneCycleLR',
  [
    'optimizer',
    'maxLr',
    'totalSteps',
    'epochs',
    'stepsPerEpoch',
    'pctStart',
    'annealStrategy',
    'cycleMomentum',
    'baseMomentum',
    'maxMomentum',
    'divFactor',
    'finalDivFactor',
    'threePhase',
    'lastEpoch',
    'verbose',
  ],
  { required: 2 },
);

/** Options of {@link OneCycleLR}. */
export interface OneCycleLROptions extends VerboseOption {
  /** Peak learning rate (one number, or one per parameter group; required). */
  maxLr: number | number[];
  /** Total number of steps of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  /** Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the learning rate. Default 0.3. */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or Adam's beta1) inversely to the learning rate. Default true. */
  cycleMomentum?: boolean;
  /** Lowest momentum of the cycle. Default 0.85. */
  baseMomentum?: number | number[];
  /** Highest momentum of the cycle. Default 0.95. */
  maxMomentum?: number | number[];
  /** `initialLr = maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** `minLr = initialLr / finalDivFactor`. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, down to `initialLr`, then down to `minLr`) instead of two. Default false. */
  threePhase?: boolean;
  /** Index of the last step when resuming. Default -1. */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

function perGroup(name: string, what: string, v: number | number[], n: number): number[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new RangeError(`OneCycleLR: expected ${n} values for ${what}, got ${v.length}`);
    return [...v];
  }
  if (typeof v !== 'number') throw new TypeError(`${name}: ${what} must be a number or an array of numbers, got ${String(v)}`);
  return Array.from({ length: n }, () => v);
}

/**
 * The 1cycle policy (PyTorch 1.13's `OneCycleLR`): the learning rate rises from
 * `maxLr/divFactor` to `maxLr` and anneals to `initialLr/finalDivFactor`, while the momentum
 * (or Adam's beta1) cycles the other way between `maxMomentum` and `baseMomentum`. Step it once
 * per batch.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD, OneCycleLR } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * const sched = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
 * opt.paramGroups[0]!.lr; // 0.04
 * opt.paramGroups[0]!.momentum; // 0.95
 * new OneCycleLR(opt, 1, 10).totalSteps; // 10
 * opt.dispose();
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Total number of steps. */
  totalSteps: number;
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether beta1 (Adam) is cycled instead of momentum. */
  useBeta1: boolean;
  /** `'cos'` or `'linear'`. */
  annealStrategy: 'cos' | 'linear';
  private readonly phases: Phase[];

  /** PyTorch's `OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, …)`, the options by name… */
  constructor(optimizer: Optimizer<object>, options: OneCycleLROptions);
  /** …or positionally in PyTorch's order (`new OneCycleLR(opt, 0.1, 1000)`). */
  constructor(
    optimizer: Optimizer<object>,
    maxLr: number | number[],
    totalSteps?: number | null,
    epochs?: number | null,
    stepsPerEpoch?: number | null,
    pctStart?: number,
    annealStrategy?: 'cos' | 'linear',
    cycleMomentum?: boolean,
    baseMomentum?: number | number[],
    maxMomentum?: number | number[],
    divFactor?: number,
    finalDivFactor?: number,
    threePhase?: boolean,
    lastEpoch?: number,
    verbose?: false,
    options?: Partial<OneCycleLROptions>,
  );
  constructor(...args: unknown[]) {
    const a = bindScheduler(ONE_CYCLE_LR, args);
    const optimizer = a.optimizer as Optimizer<object>;
    // PyTorch's None for totalSteps/epochs/stepsPerEpoch means "not given"
    const options = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null)) as unknown as OneCycleLROptions;
    // PyTorch sets the groups' initial learning rate before the base class records it.
    const n = optimizer?.paramGroups?.length ?? 0;
    if (options.maxLr === undefined) throw new TypeError('OneCycleLR: maxLr is required; e.g. new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 1000 })');
    let totalSteps: number;
    if (options.totalSteps !== undefined) {
      if (!Number.isInteger(options.totalSteps) || options.totalSteps <= 0) throw new RangeError(`OneCycleLR: expected a positive integer totalSteps, got ${options.totalSteps}`);
      totalSteps = options.totalSteps;
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      if (!Number.isInteger(options.epochs) || options.epochs <= 0) throw new RangeError(`OneCycleLR: expected a positive integer epochs, got ${options.epochs}`);
      if (!Number.isInteger(options.stepsPerEpoch) || options.stepsPerEpoch <= 0) throw new RangeError(`OneCycleLR: expected a positive integer stepsPerEpoch, got ${options.stepsPerEpoch}`);
      totalSteps = options.epochs * options.stepsPerEpoch;
    } else {
      throw new TypeError('OneCycleLR: you must define either totalSteps or both epochs and stepsPerEpoch');
    }
    const pctStart = options.pctStart ?? 0.3;
    if (!(pctStart >= 0 && pctStart <= 1)) throw new RangeError(`OneCycleLR: expected pctStart between 0 and 1, got ${pctStart}`);
    const anneal = options.annealStrategy ?? 'cos';
    if (anneal !== 'cos' && anneal !== 'linear') throw new RangeError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${String(anneal)}`);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    const lastEpoch = options.lastEpoch ?? -1;
    const maxLrs = perGroup('OneCycleLR', 'maxLr', options.maxLr, n);
    const groups = (optimizer?.paramGroups ?? []) as Array<Record<string, unknown>>;
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        const initialLr = maxLrs[i]! / divFactor;
        g.initialLr = initialLr;
        g.lr = initialLr;
        g.maxLr = maxLrs[i];
        g.minLr = initialLr / finalDivFactor;
      });
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    let useBeta1 = false;
    if (cycleMomentum) {
      const defaults = (optimizer?.defaults ?? {}) as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new Error('OneCycleLR: the optimizer has neither momentum nor betas, so momentum cannot be cycled; pass { cycleMomentum: false }');
      }
      useBeta1 = 'betas' in defaults;
      const base = perGroup('OneCycleLR', 'baseMomentum', options.baseMomentum ?? 0.85, n);
      const max = perGroup('OneCycleLR', 'maxMomentum', options.maxMomentum ?? 0.95, n);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [max[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = max[i];
          g.maxMomentum = max[i];
          g.baseMomentum = base[i];
        });
      }
    }
    super('OneCycleLR', optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.annealStrategy = anneal;
    this.phases = options.threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`OneCycleLR: tried to step ${stepNum} times; the specified number of total steps is ${this.totalSteps}. Raise totalSteps (or epochs/stepsPerEpoch) to cover the whole run`);
    }
    return this.optimizer.paramGroups.map((gr) => {
      const g = gr as Record<string, unknown>;
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i]!;
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (ph.endStep - startStep);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cycleMomentum) momentum = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
          break;
        }
        startStep = ph.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
