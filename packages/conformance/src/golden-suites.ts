/**
 * The golden files beyond `ops.json` that `runConformance` runs on every backend: `layers.json`,
 * `losses.json`, `optimizers.json` and `schedulers.json`, each as a list of checks with an id,
 * the name that skip keys match, a dtype, and why it cannot run where its class or function is
 * missing.
 */
import type { DType } from '@tensorgrad/tensor';
import { loadGolden, type GoldenCase } from './golden.js';
import { layerMissing, runLayerGoldenCase, type LayerGoldenCase } from './golden-layers.js';
import { lossMissing, runLossGoldenCase } from './golden-losses.js';
import { optimizerMissing, runOptimizerGoldenCase, type OptimizerGoldenCase } from './golden-optimizers.js';
import { runSchedulerGoldenCase, type SchedulerGoldenCase } from './golden-schedulers.js';
import type { CheckContext } from './harness.js';

/** One golden check of a {@link GoldenSuite}. */
export interface GoldenCheck {
  /** The case id of the fixture (`Linear/basic/float32`); skip keys match it. */
  id: string;
  /** The layer class, loss function, optimizer or scheduler (`BatchNorm2d`); skip keys match it too. */
  op: string;
  /** The dtype the check computes in (skipped where the backend lacks it). */
  dtype: DType;
  /** Why the check cannot run in this build (its class or function is not exported), or `undefined`. */
  missing: string | undefined;
  /** Runs the check in `ctx` (tensors on `ctx.backend`); throws on a mismatch. */
  run(ctx: CheckContext): Promise<void> | void;
}

/** A golden file run as one group of {@link runConformance}. */
export interface GoldenSuite {
  /** The group name in the summary and in skip listings (`layers`). */
  group: 'layers' | 'losses' | 'optimizers' | 'schedulers';
  /** The fixture file (`layers.json`). */
  file: string;
  /** The file's cases as checks, in file order. */
  checks: GoldenCheck[];
}

/**
 * The golden suites of `layers.json`, `losses.json`, `optimizers.json` and `schedulers.json`
 * (`ops.json` is run by `runGoldenCase`). Scheduler cases compute in float32 (the SGD
 * parameter's dtype); their ids are the fixture's.
 *
 * @example
 * ```ts
 * import { goldenSuites } from '@tensorgrad/conformance';
 * goldenSuites().map((s) => `${s.file}: ${s.checks.length}`); // ['layers.json: 96', 'losses.json: 172', 'optimizers.json: 28', 'schedulers.json: 10']
 * ```
 */
export function goldenSuites(): GoldenSuite[] {
  const layers = loadGolden<LayerGoldenCase>('layers.json').cases;
  const losses = loadGolden<GoldenCase>('losses.json').cases;
  const optimizers = loadGolden<OptimizerGoldenCase>('optimizers.json').cases;
  const schedulers = loadGolden<SchedulerGoldenCase>('schedulers.json').cases;
  return [
    {
      group: 'layers',
      file: 'layers.json',
      checks: layers.map((c) => ({ id: c.id, op: c.op, dtype: c.dtype, missing: layerMissing(c.op), run: (ctx) => runLayerGoldenCase(ctx, c) })),
    },
    {
      group: 'losses',
      file: 'losses.json',
      checks: losses.map((c) => ({ id: c.id, op: c.op, dtype: c.dtype, missing: lossMissing(c.op), run: (ctx) => runLossGoldenCase(ctx, c) })),
    },
    {
      group: 'optimizers',
      file: 'optimizers.json',
      checks: optimizers.map((c) => ({
        id: c.id,
        op: c.optimizer,
        dtype: c.dtype,
        missing: optimizerMissing(c.optimizer),
        run: (ctx) => runOptimizerGoldenCase(ctx, c),
      })),
    },
    {
      group: 'schedulers',
      file: 'schedulers.json',
      checks: schedulers.map((c) => ({
        id: c.id,
        op: c.scheduler,
        dtype: 'float32' as const,
        missing: optimizerMissing(c.scheduler) ?? optimizerMissing(c.optimizer.name),
        run: (ctx) => runSchedulerGoldenCase(ctx, c),
      })),
    },
  ];
}
