import {
  Adagrad, Adam, AdamW, manualSeed, CosineAnnealingLR, ExponentialLR, LambdaLR, LBFGS, MultiStepLR, noGrad, OneCycleLR, ReduceLROnPlateau,
  RMSprop, setBackend, SGD, StepLR, tidy, isFloating, Tensor, type AnyOptimizer,
} from 'tensorgrad';
import { expectNoLeak, memoryCounts } from './probe.js';
import type { LayerSetup } from './layer-cases.js';

/** An optimizer the leak tests train with: made from the parameters; `closure` when `step` needs one (LBFGS). */
export interface LeakOptimizer {
  /** The exported class, e.g. `'Adam'`. */
  readonly name: string;
  make(params: Tensor[]): AnyOptimizer;
  /** Whether `step` takes a closure that recomputes the loss (and is async). */
  readonly closure?: boolean;
  /**
   * Steps before memory is counted, when the optimizer's state grows for more than the default 2
   * (LBFGS's curvature history fills up to `historySize` pairs; a pair is kept only when the
   * curvature condition holds, so it may take a few steps).
   */
  readonly warmup?: number;
}

/**
 * One entry per optimizer class of `@tensorgrad/optimizers`, with the options that take the most
 * code paths (momentum, Nesterov, AMSGrad, centered, weight decay), so their state tensors exist.
 *
 * @example
 * ```ts
 * import { LEAK_OPTIMIZERS } from '@tensorgrad/fuzz';
 * LEAK_OPTIMIZERS.map((o) => o.name); // ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'LBFGS']
 * ```
 */
export const LEAK_OPTIMIZERS: readonly LeakOptimizer[] = [
  { name: 'SGD', make: (p) => new SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }) },
  { name: 'Adam', make: (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 1e-4 }) },
  { name: 'AdamW', make: (p) => new AdamW(p, { lr: 0.01 }) },
  { name: 'RMSprop', make: (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }) },
  { name: 'Adagrad', make: (p) => new Adagrad(p, { lr: 0.01, weightDecay: 1e-4 }) },
  { name: 'LBFGS', make: (p) => new LBFGS(p, { lr: 0.1, maxIter: 1, historySize: 1 }), closure: true, warmup: 3 },
];

/** A learning-rate scheduler the leak tests step after each optimizer step. */
export interface LeakScheduler {
  readonly name: string;
  make(opt: AnyOptimizer): { step(metric?: number): void };
}

/**
 * One entry per scheduler class of `@tensorgrad/optimizers`.
 *
 * @example
 * ```ts
 * import { LEAK_SCHEDULERS } from '@tensorgrad/fuzz';
 * LEAK_SCHEDULERS.length; // 7
 * ```
 */
export const LEAK_SCHEDULERS: readonly LeakScheduler[] = [
  { name: 'StepLR', make: (o) => new StepLR(o, { stepSize: 2, gamma: 0.5 }) },
  { name: 'MultiStepLR', make: (o) => new MultiStepLR(o, { milestones: [1, 3], gamma: 0.5 }) },
  { name: 'ExponentialLR', make: (o) => new ExponentialLR(o, { gamma: 0.9 }) },
  { name: 'CosineAnnealingLR', make: (o) => new CosineAnnealingLR(o, { tMax: 4 }) },
  { name: 'LambdaLR', make: (o) => new LambdaLR(o, { lrLambda: (e: number) => 1 / (1 + e) }) },
  { name: 'ReduceLROnPlateau', make: (o) => new ReduceLROnPlateau(o, { patience: 0 }) },
  { name: 'OneCycleLR', make: (o) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 100 }) },
];

/**
 * Every tensor in `value`, nested in arrays, records and Maps (each once).
 *
 * @example
 * ```ts
 * import { collectTensors } from '@tensorgrad/fuzz';
 * import { tensor } from 'tensorgrad';
 * const t = tensor([1]);
 * collectTensors({ a: [t, 3], b: new Map([['t', t]]) }).length; // 1
 * ```
 */
export function collectTensors(value: unknown, out: Tensor[] = [], seen = new Set<unknown>()): Tensor[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if ((value as { _isTensor?: boolean })._isTensor === true) out.push(value as Tensor);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out, seen);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, out, seen);
  else for (const v of Object.values(value)) collectTensors(v, out, seen);
  return out;
}

/**
 * A scalar loss from a forward pass's result: the sum of the mean squares of every floating
 * tensor in it that needs a gradient (nested in arrays, records and Maps), or `null` when none does.
 *
 * @example
 * ```ts
 * import { lossOf } from '@tensorgrad/fuzz';
 * import { tensor } from 'tensorgrad';
 * const x = tensor([1, 2], { requiresGrad: true });
 * lossOf({ out: [x.mul(2)] })!.itemSync(); // 10
 * lossOf([tensor([1])]); // null
 * ```
 */
export function lossOf(value: unknown): Tensor | null {
  const parts = collectTensors(value).filter((t) => t.requiresGrad && isFloating(t.dtype));
  if (parts.length === 0) return null;
  return parts.map((t) => t.square().mean()).reduce((a, b) => a.add(b));
}

/** The parameters a training step of `setup` updates: the module's and its trainable inputs. */
function trainable(setup: LayerSetup): Tensor[] {
  return [...setup.module.parameters(), ...setup.inputs.filter((t) => t.requiresGrad)];
}

/**
 * Steps an L-BFGS until its curvature history holds `historySize` pairs (at most 30 steps): a pair
 * joins only when the curvature condition holds, which on some inputs takes a few more steps than
 * any fixed warm-up, and a pair joining while memory is counted is growth by design, not a leak.
 */
async function fillHistory(opt: LBFGS, step: () => Promise<unknown>): Promise<void> {
  // the state dict's tensors are copies: read the history's length and free them
  const history = (): { pairs: number; size: number } => {
    const sd = opt.stateDict();
    const st = (sd.state[0] ?? {}) as Record<string, unknown>;
    const dirs = st.oldDirs;
    const pairs = dirs instanceof Tensor ? dirs.shape[0]! : 0;
    for (const v of Object.values(st)) if (v instanceof Tensor) v.dispose();
    return { pairs, size: sd.paramGroups[0]!.historySize as number };
  };
  for (let i = 0; i < 30; i++) {
    const { pairs, size } = history();
    if (pairs >= size) return;
    await step();
  }
}

/** Options of {@link trainingStep} and {@link checkTrainingLeaks}. */
export interface TrainingStepOptions {
  /** Stepped after every optimizer step (with the loss, for `ReduceLROnPlateau`). */
  scheduler?: { step(metric?: number): void };
  /** Runs between `backward()` and the optimizer's step, e.g. gradient clipping. */
  beforeStep?: (params: Tensor[]) => void;
}

/**
 * One whole training step, inside an async `tidy`: forward, loss, backward, optimizer step (with
 * a closure for LBFGS; `beforeStep` before it), zeroGrad, the scheduler's step, the loss read back; then a forward pass
 * in eval mode without gradients, and back to train mode.
 *
 * @example
 * ```ts
 * import { trainingStep, LEAK_OPTIMIZERS } from '@tensorgrad/fuzz';
 * import { Linear, randn } from 'tensorgrad';
 * const module = new Linear(2, 1);
 * const x = randn([3, 2]);
 * const opt = LEAK_OPTIMIZERS[0]!.make(module.parameters());
 * typeof (await trainingStep({ module, inputs: [x], forward: () => module.call(x) }, opt)); // 'number'
 * ```
 */
export async function trainingStep(setup: LayerSetup, opt: AnyOptimizer, options: TrainingStepOptions = {}): Promise<number> {
  const { scheduler, beforeStep } = options;
  const loss = await tidy(async () => {
    setup.module.train();
    let l: number;
    if (opt instanceof LBFGS) {
      const first = await opt.step(() => {
        opt.zeroGrad();
        const loss = lossOf(setup.forward());
        if (!loss) throw new Error(`${setup.module.typeName}: the forward pass returned no tensor that needs a gradient`);
        loss.backward();
        beforeStep?.(trainable(setup));
        return loss;
      });
      l = Number(await (first as Tensor).item());
    } else {
      const loss = lossOf(setup.forward());
      if (!loss) throw new Error(`${setup.module.typeName}: the forward pass returned no tensor that needs a gradient`);
      loss.backward();
      beforeStep?.(trainable(setup));
      (opt as { step(): void }).step();
      opt.zeroGrad();
      l = Number(await loss.item());
    }
    scheduler?.step(l);
    return l;
  });
  setup.module.eval();
  tidy(() => noGrad(() => void setup.forward()));
  setup.module.train();
  return loss;
}

/**
 * Frees a set-up's module and inputs.
 *
 * @example
 * ```ts
 * import { disposeSetup } from '@tensorgrad/fuzz';
 * import { Linear, randn } from 'tensorgrad';
 * const module = new Linear(2, 1);
 * const x = randn([1, 2]);
 * disposeSetup({ module, inputs: [x], forward: () => module.call(x) });
 * x.isDisposed; // true
 * ```
 */
export function disposeSetup(setup: LayerSetup): void {
  setup.module.dispose();
  for (const t of setup.inputs) t.dispose();
}

/**
 * Trains `build()`'s module on `backend` with `optimizer` (and a scheduler, gradient clipping) repeatedly and
 * throws when memory is not flat across steps ({@link expectNoLeak}), or when disposing the
 * module, its inputs and the optimizer does not bring the tensor, byte and buffer counts back to
 * where they were before it was built.
 *
 * @example
 * ```ts
 * import { checkTrainingLeaks, LEAK_OPTIMIZERS } from '@tensorgrad/fuzz';
 * import { Linear, randn } from 'tensorgrad';
 * await checkTrainingLeaks('cpu', () => {
 *   const module = new Linear(2, 1);
 *   const x = randn([3, 2]);
 *   return { module, inputs: [x], forward: () => module.call(x) };
 * }, LEAK_OPTIMIZERS[1]!, 'Linear');
 * ```
 */
export async function checkTrainingLeaks(
  backend: string,
  build: () => LayerSetup,
  optimizer: LeakOptimizer,
  what: string,
  options: { scheduler?: LeakScheduler; beforeStep?: (params: Tensor[]) => void; beforeStepName?: string; seed?: number; warmup?: number } = {},
): Promise<void> {
  const { scheduler, beforeStep, beforeStepName, seed = 0, warmup = optimizer.warmup ?? 2 } = options;
  await setBackend(backend);
  manualSeed(seed); // the same inputs, initial weights and dropout masks for the same seed
  const start = memoryCounts(backend);
  const setup = build();
  let opt: AnyOptimizer | null = null;
  try {
    opt = optimizer.make(trainable(setup));
    const sched = scheduler?.make(opt);
    const label = `${what} trained with ${optimizer.name}${scheduler ? ` and ${scheduler.name}` : ''}${beforeStepName ? ` and ${beforeStepName}` : ''}`;
    const stepOptions: TrainingStepOptions = { ...(sched ? { scheduler: sched } : {}), ...(beforeStep ? { beforeStep } : {}) };
    if (opt instanceof LBFGS) await fillHistory(opt, () => trainingStep(setup, opt!, stepOptions));
    await expectNoLeak(label, backend, () => trainingStep(setup, opt!, stepOptions), { warmup, repeats: 2 });
  } finally {
    opt?.dispose();
    disposeSetup(setup);
  }
  const end = memoryCounts(backend);
  const kept = (['tensors', 'bytes', 'buffers', 'tfjsUnowned'] as const).filter((k) => (end[k] ?? 0) !== (start[k] ?? 0));
  if (kept.length > 0) {
    throw new Error(
      `leak in '${what}' on '${backend}': after disposing the module, its inputs and the ${optimizer.name} optimizer, ` +
        kept.map((k) => `${k} is ${end[k]} (was ${start[k]} before they were built)`).join(', ') +
        '; expected the counts back where they started. Something the module or optimizer made is owned by neither',
    );
  }
}
