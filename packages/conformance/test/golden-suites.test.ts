// The golden suites of layers/losses/optimizers/schedulers must fail when a value is off: each
// check is run once on a fixture case with one expected value nudged just past its tolerance.
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import {
  goldenSuites,
  layerTolerance,
  loadGolden,
  lossTolerance,
  optimizerTolerance,
  runChecked,
  runLayerGoldenCase,
  runLossGoldenCase,
  runOptimizerGoldenCase,
  runSchedulerGoldenCase,
  seededRng,
  type GoldenCase,
  type GoldenTensor,
  type LayerGoldenCase,
  type OptimizerGoldenCase,
  type SchedulerGoldenCase,
  type Tolerance,
} from '@tensorgrad/conformance';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Moves element 0 of `t` to just outside `tol` of its value. */
function nudge(t: GoldenTensor, tol: Tolerance): void {
  const v = Number(t.data[0]);
  t.data[0] = v + 2 * (tol.atol + tol.rtol * Math.abs(v));
}

const run = (id: string, dtype: tg.DType, body: (ctx: never) => Promise<void> | void): Promise<void> =>
  runChecked(tg.getBackend(), dtype, seededRng(id), tg, body as never);

describe('golden suites', () => {
  it('hold every case of the four files', () => {
    expect(goldenSuites().map((s) => [s.group, s.checks.length])).toEqual([
      ['layers', 96],
      ['losses', 172],
      ['optimizers', 28],
      ['schedulers', 10],
    ]);
    expect(goldenSuites().flatMap((s) => s.checks.filter((c) => c.missing !== undefined).map((c) => c.id))).toEqual([]);
  });

  it('a layer case fails on a wrong parameter gradient', async () => {
    const c = clone(loadGolden<LayerGoldenCase>('layers.json').cases.find((k) => k.op === 'Conv2d' && k.dtype === 'float32' && k.paramGrads)!);
    await run(c.id, c.dtype, (ctx) => runLayerGoldenCase(ctx, c));
    nudge(c.paramGrads!.weight!, layerTolerance('float32'));
    await expect(run(c.id, c.dtype, (ctx) => runLayerGoldenCase(ctx, c))).rejects.toThrow(`${c.id} grad of weight: element 0`);
  });

  it('a BatchNorm case fails on a wrong running mean', async () => {
    const c = clone(loadGolden<LayerGoldenCase>('layers.json').cases.find((k) => k.op === 'BatchNorm2d' && k.dtype === 'float32' && k.paramsAfter)!);
    nudge(c.paramsAfter!.running_mean!, layerTolerance('float32'));
    await expect(run(c.id, c.dtype, (ctx) => runLayerGoldenCase(ctx, c))).rejects.toThrow(`${c.id} after running_mean`);
  });

  it('a loss case fails on a wrong gradient', async () => {
    const c = clone(loadGolden('losses.json').cases.find((k: GoldenCase) => k.op === 'crossEntropy' && k.dtype === 'float32' && k.grads)!);
    await run(c.id, c.dtype, (ctx) => runLossGoldenCase(ctx, c));
    nudge(c.grads![0]!, lossTolerance('float32'));
    await expect(run(c.id, c.dtype, (ctx) => runLossGoldenCase(ctx, c))).rejects.toThrow(`${c.id} grad: element 0`);
  });

  it('an optimizer case fails on a wrong parameter after step 3', async () => {
    const c = clone(loadGolden<OptimizerGoldenCase>('optimizers.json').cases.find((k) => k.id === 'Adam/amsgrad/float32')!);
    nudge(c.steps[2]!.bias, optimizerTolerance('float32'));
    await expect(run(c.id, c.dtype, (ctx) => runOptimizerGoldenCase(ctx, c))).rejects.toThrow(`${c.id} step 3 bias`);
  });

  it('a scheduler case fails on a wrong learning rate', async () => {
    const c = clone(loadGolden<SchedulerGoldenCase>('schedulers.json').cases.find((k) => k.id === 'OneCycleLR/default')!);
    c.momentums![7] = c.momentums![7]! * (1 + 1e-9);
    await expect(run(c.id, 'float32', (ctx) => runSchedulerGoldenCase(ctx, c))).rejects.toThrow(`${c.id} momentums: element 7`);
  });
});
