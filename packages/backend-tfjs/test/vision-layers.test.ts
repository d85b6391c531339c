// The vision layers and pad modes of issue #13 on tfjs, float32, against PyTorch's values
// (conformance's fixtures/generated/layers-vision.json; the CPU runs float64 too in
// packages/layers/test/vision-layers.test.ts).
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { findBackend, manualSeed, pad, setBackend } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-tfjs';
import '@tensorgrad/autodiff';
import {
  assertClose,
  goldenToTensor,
  loadGenerated,
  runChecked,
  runLayerGoldenCase,
  seededRng,
  toleranceFor,
  type CheckContext,
  type LayerGoldenCase,
  type LayersVisionCase,
} from '@tensorgrad/conformance';

const file = loadGenerated<LayersVisionCase>('layers-vision');
// and chapter 13's PReLU (fixtures/generated/prelu.json: one slope and one per channel, zeros in the input)
const cases = [...file.cases, ...loadGenerated<LayersVisionCase>('prelu').cases].filter((c) => c.dtype === 'float32' && (c.kind === 'layer' || (c.kind === 'op' && c.op === 'pad')));

async function runPadCase(ctx: CheckContext, c: LayersVisionCase): Promise<void> {
  const tol = toleranceFor(c.dtype);
  const x = ctx.track(goldenToTensor(c.inputs![0]!, ctx.backend)).requiresGrad_();
  const y = ctx.track(pad(x, c.attrs.pad as number[], { mode: c.attrs.mode as 'reflect' }));
  await assertClose(y, c.output!, tol, `${c.id} output`);
  y.backward(ctx.track(goldenToTensor(c.gradOutput!, ctx.backend)));
  await assertClose(x.grad!, c.grads![0]!, tol, `${c.id} input grad`);
}

describe('vision layers, pad modes and PReLU on tfjs (layers-vision.json, prelu.json, float32)', () => {
  beforeAll(async () => {
    await setBackend('tfjs');
  });
  afterAll(async () => {
    await setBackend('cpu');
  });
  for (const c of cases) {
    it(c.id, async () => {
      const backend = await findBackend('tfjs');
      if (c.seed !== undefined) manualSeed(c.seed);
      await runChecked(backend, c.dtype, seededRng(c.id), tg, (ctx) => (c.kind === 'op' ? runPadCase(ctx, c) : runLayerGoldenCase(ctx, c as unknown as LayerGoldenCase)));
    });
  }
});
