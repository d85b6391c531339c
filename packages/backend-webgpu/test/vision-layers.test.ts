// The vision layers and pad modes of issue #13 on webgpu, float32, against PyTorch's values
// (conformance's fixtures/generated/layers-vision.json; the CPU runs float64 too in
// packages/layers/test/vision-layers.test.ts).
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { manualSeed, pad, setBackend } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-webgpu';
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
import { webgpuOrReason } from './gpu.js';

// the first use of each program compiles it (seconds on lavapipe, more on a loaded machine)
const COMPILE_TIMEOUT = 180_000;
const gpu = await webgpuOrReason();
const file = loadGenerated<LayersVisionCase>('layers-vision');
const cases = file.cases.filter((c) => c.dtype === 'float32' && (c.kind === 'layer' || (c.kind === 'op' && c.op === 'pad')));

async function runPadCase(ctx: CheckContext, c: LayersVisionCase): Promise<void> {
  const tol = toleranceFor(c.dtype);
  const x = ctx.track(goldenToTensor(c.inputs![0]!, ctx.backend)).requiresGrad_();
  const y = ctx.track(pad(x, c.attrs.pad as number[], { mode: c.attrs.mode as 'reflect' }));
  await assertClose(y, c.output!, tol, `${c.id} output`);
  y.backward(ctx.track(goldenToTensor(c.gradOutput!, ctx.backend)));
  await assertClose(x.grad!, c.grads![0]!, tol, `${c.id} input grad`);
}

if (gpu.backend) {
  const backend = gpu.backend;
  describe('vision layers and pad modes on webgpu (layers-vision.json, float32)', () => {
    beforeAll(async () => {
      await setBackend('webgpu');
    });
    afterAll(async () => {
      await setBackend('cpu');
    });
    for (const c of cases) {
      it(
        c.id,
        async () => {
          if (c.seed !== undefined) manualSeed(c.seed);
          await runChecked(backend, c.dtype, seededRng(c.id), tg, (ctx) => (c.kind === 'op' ? runPadCase(ctx, c) : runLayerGoldenCase(ctx, c as unknown as LayerGoldenCase)));
        },
        COMPILE_TIMEOUT,
      );
    }
  });
} else {
  describe('vision layers on webgpu', () => {
    it.skip(`skipped: no WebGPU adapter: ${gpu.reason}`, () => {});
  });
}
