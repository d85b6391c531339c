/**
 * Runs one `schedulers.json` case: an SGD optimizer over one parameter on the backend under test
 * and a learning-rate scheduler stepped 30 times; the learning rate (and, for `OneCycleLR`, the
 * momentum) in effect during each epoch.
 */
import * as optim from '@tensorgrad/optimizers';
import { type Tensor } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import { compareHost, type Tolerance } from './compare.js';
import type { CheckContext } from './harness.js';

/** One case of `schedulers.json` (see fixtures/pytorch/README.md). */
export interface SchedulerGoldenCase {
  id: string;
  /** `StepLR`, `MultiStepLR`, `ExponentialLR`, `CosineAnnealingLR`, `OneCycleLR`, `LambdaLR`, `ReduceLROnPlateau`. */
  scheduler: string;
  /** Constructor options (camelCase); `lrLambda` is a JavaScript arrow function as text. */
  options: Record<string, unknown>;
  optimizer: { name: string; options: Record<string, unknown> };
  epochs: number;
  /** The learning rate in effect during each epoch. */
  lrs: number[];
  /** `OneCycleLR`: the momentum in effect during each epoch. */
  momentums?: number[];
  /** `ReduceLROnPlateau`: the metric fed to each `step()`. */
  metrics?: number[];
}

/**
 * The tolerance of the learning rates of `schedulers.json` (host arithmetic in float64): rtol
 * 1e-12, atol 1e-15.
 *
 * @example
 * ```ts
 * import { SCHEDULER_TOLERANCE } from '@tensorgrad/conformance';
 * SCHEDULER_TOLERANCE.rtol; // 1e-12
 * ```
 */
export const SCHEDULER_TOLERANCE: Readonly<Tolerance> = { rtol: 1e-12, atol: 1e-15 };

interface Stepper {
  step(metric?: number): void;
}
type SchedulerCtor = new (optimizer: optim.AnyOptimizer, options: Record<string, unknown>) => Stepper;
type OptimizerCtor = new (params: Tensor[], options: Record<string, unknown>) => optim.AnyOptimizer;

function compareSeries(id: string, what: string, actual: number[], expected: number[]): void {
  const msg = compareHost({ shape: [actual.length], dtype: 'float64', data: actual }, { shape: [expected.length], dtype: 'float64', data: expected }, SCHEDULER_TOLERANCE);
  if (msg !== null) throw new Error(`${id} ${what}: ${msg}`);
}

/**
 * Runs `schedulers.json` case `c` in `ctx`: for each epoch, records the learning rate and
 * momentum, then `optimizer.step()` and `scheduler.step()` (`step(metrics[i])` for
 * `ReduceLROnPlateau`); throws on the first mismatch.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { loadGolden, runChecked, runSchedulerGoldenCase, seededRng, type SchedulerGoldenCase } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const c = loadGolden<SchedulerGoldenCase>('schedulers.json').cases[0]; // StepLR/basic
 * await runChecked(tg.getBackend(), 'float32', seededRng(c.id), tg, (ctx) => runSchedulerGoldenCase(ctx, c));
 * ```
 */
export function runSchedulerGoldenCase(ctx: CheckContext, c: SchedulerGoldenCase): void {
  const table = optim as unknown as Record<string, unknown>;
  for (const name of [c.optimizer.name, c.scheduler]) {
    if (typeof table[name] !== 'function') throw new Error(`${c.id}: '${name}' is not exported by @tensorgrad/optimizers yet`);
  }
  const w = ctx.track(fromArray(ctx.backend, Float32Array.of(1), [1], 'float32')).requiresGrad_();
  const opt = new (table[c.optimizer.name] as OptimizerCtor)([w], c.optimizer.options);
  try {
    const o = { ...c.options };
    if (typeof o.lrLambda === 'string') o.lrLambda = new Function(`return (${o.lrLambda});`)() as unknown;
    const sched = new (table[c.scheduler] as SchedulerCtor)(opt, o);
    const lrs: number[] = [];
    const moms: number[] = [];
    for (let i = 0; i < c.epochs; i++) {
      const group = opt.paramGroups[0]! as unknown as Record<string, unknown>;
      lrs.push(group.lr as number);
      moms.push(group.momentum as number);
      opt.step();
      if (c.scheduler === 'ReduceLROnPlateau') {
        const m = c.metrics?.[i];
        if (m === undefined) throw new Error(`${c.id}: ReduceLROnPlateau needs metrics[${i}], which the case does not give`);
        sched.step(m);
      } else sched.step();
    }
    compareSeries(c.id, 'lrs', lrs, c.lrs);
    if (c.momentums) compareSeries(c.id, 'momentums', moms, c.momentums);
  } finally {
    opt.dispose();
  }
}
