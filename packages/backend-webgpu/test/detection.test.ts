// The detection kernels on WebGPU (roiAlign, roiAlignBackward, roiPool, roiPoolBackward, nms):
// torchvision 0.14.1's values and input gradients on the corners of detection-corners.json (RoIs
// outside the image, reversed, huge with adaptive sampling, aligned; 1200 clustered boxes), and
// the CPU kernels' results (themselves checked against PyTorch) where the fixtures do not reach:
// strided and broadcast views, empty inputs, 3000 boxes, the chunked NMS sweep, an out-of-range
// batch index (which only a synchronous backend can reject).
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import type { Tensor } from '@tensorgrad/tensor';
import { kernelTensor, nms, roiAlign, roiAlignBackward, roiPool, roiPoolBackward, wrapResult } from '@tensorgrad/tensor/backend';
import { grad } from '@tensorgrad/autodiff';
import { goldenData, goldenToTensor, loadGenerated, type GeneratedCase, type GoldenTensor } from '@tensorgrad/conformance';
import '@tensorgrad/backend-cpu';
import type { WebGPUBackend } from '@tensorgrad/backend-webgpu';
import { nmsKeepMask } from '../src/nms-sweep.js';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
// the first use of each program compiles it (seconds on lavapipe, more on a loaded machine)
const TIMEOUT = 180_000;

/** A case of detection-corners.json (scripts/fixtures/tgfixtures/detection_corners.py). */
interface DetectionCase extends GeneratedCase {
  op: 'roiAlign' | 'roiPool' | 'nms';
  inputs: GoldenTensor[];
  attrs: Record<string, number | boolean>;
  gradOutput?: GoldenTensor;
  outputs: Record<string, GoldenTensor>;
}

async function numbers(t: Tensor): Promise<number[]> {
  return Array.from((await t.data()) as ArrayLike<number>, Number);
}

/** Every element within `atol + rtol·|want|` (NaN only where NaN is expected). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, label: string, atol = 1e-5, rtol = 1e-4): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok) throw new Error(`${label}: element ${i} is ${g}, expected ${w}`);
  }
}

function random(n: number, seed: number, lo = 0, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

/** `n` boxes `[x1, y1, x2, y2]` in overlapping clusters (so NMS has work to do). */
function clusteredBoxes(n: number, seed: number): number[] {
  const r = random(n * 5, seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const cluster = Math.floor(r[i * 5]! * 60);
    const cx = (cluster % 8) * 40 + r[i * 5 + 1]! * 12;
    const cy = Math.floor(cluster / 8) * 40 + r[i * 5 + 2]! * 12;
    out.push(cx, cy, cx + 8 + r[i * 5 + 3]! * 30, cy + 8 + r[i * 5 + 4]! * 30);
  }
  return out;
}

const suite = gpu.backend ? describe : describe.skip;
const title = gpu.backend ? 'detection kernels on webgpu' : `detection kernels on webgpu [skipped: no WebGPU adapter: ${gpu.reason}]`;

suite(title, () => {
  const be = gpu.backend as WebGPUBackend;

  describe('detection-corners.json (torchvision 0.14.1)', () => {
    const cases = loadGenerated<DetectionCase>('detection-corners').cases;
    for (const c of cases) {
      it(
        c.id,
        async () => {
          await tg.tidy(async () => {
            if (c.op === 'nms') {
              const boxes = goldenToTensor(c.inputs[0]!, 'webgpu');
              const keep = nms(boxes, { iouThreshold: c.attrs.iouThreshold as number });
              expect(keep.dtype).toBe('bool');
              expect(await numbers(keep)).toEqual(Array.from(goldenData(c.outputs.keep!), Number));
              return;
            }
            const x = goldenToTensor(c.inputs[0]!, 'webgpu');
            const rois = goldenToTensor(c.inputs[1]!, 'webgpu');
            const gOut = goldenToTensor(c.gradOutput!, 'webgpu');
            const attrs = c.attrs as { pooledHeight: number; pooledWidth: number; spatialScale: number; samplingRatio: number; aligned: boolean };
            if (c.op === 'roiAlign') {
              // relative: the bins of RoIs thousands of pixels across average a few in-image samples over millions
              expectClose(await roiAlign(x, rois, attrs).data(), goldenData(c.outputs.out!), `${c.id} out`, 1e-12, 1e-4);
              const [dx] = grad((t) => roiAlign(t, rois, attrs).mul(gOut).sum(), [x]);
              expectClose(await dx!.data(), goldenData(c.outputs.gradInput!), `${c.id} gradInput`);
            } else {
              const { values, indices } = roiPool(x, rois, attrs);
              expect(indices.dtype).toBe('int32');
              expectClose(await values.data(), goldenData(c.outputs.out!), `${c.id} out`, 0, 0);
              expect(await numbers(indices), `${c.id} argmax`).toEqual(Array.from(goldenData(c.outputs.argmax!), Number));
              const [dx] = grad((t) => roiPool(t, rois, attrs).values.mul(gOut).sum(), [x]);
              expectClose(await dx!.data(), goldenData(c.outputs.gradInput!), `${c.id} gradInput`);
            }
          });
        },
        TIMEOUT,
      );
    }
  });

  describe('against the cpu kernels', () => {
    // x [2, 3, 9, 11] stored channels-last (a permuted view); rois as columns 1..5 of a [K, 7] tensor
    const N = 2;
    const C = 3;
    const H = 9;
    const W = 11;
    const xData = random(N * C * H * W, 7, -2, 2);
    const roiRows = [
      [0, 0.5, 0.5, 6.5, 7.5],
      [1, -2, -3, 14, 12],
      [1, 8.2, 1.1, 8.3, 1.2],
      [0, 20, 20, 30, 30],
      [1, 4, 6, 1, 2],
      [0, -1, -1, 11, 9],
    ];
    function inputs(backend: string): { x: Tensor; rois: Tensor } {
      const stored = tg.tensor(xData, { backend }).reshape([N, C, H, W]).permute([0, 2, 3, 1]).contiguous();
      const x = stored.permute([0, 3, 1, 2]);
      const wide = tg.tensor(roiRows.map((r) => [9, ...r, -9]), { backend });
      const rois = wide.slice(1, 1, 6);
      return { x, rois };
    }
    const configs = [
      { pooledHeight: 3, pooledWidth: 2, spatialScale: 1, samplingRatio: -1, aligned: false },
      { pooledHeight: 2, pooledWidth: 4, spatialScale: 0.75, samplingRatio: 2, aligned: true },
      { pooledHeight: 5, pooledWidth: 5, spatialScale: 1.5, samplingRatio: 0, aligned: true },
    ];

    it(
      'roiAlign and its gradient on strided views (channels-last input, sliced rois, broadcast gradient)',
      async () => {
        await tg.tidy(async () => {
          const g = inputs('webgpu');
          const c = inputs('cpu');
          expect(g.x.isContiguous()).toBe(false);
          expect(g.rois.isContiguous()).toBe(false);
          for (const attrs of configs) {
            const label = JSON.stringify(attrs);
            expectClose(await roiAlign(g.x, g.rois, attrs).data(), await roiAlign(c.x, c.rois, attrs).data(), `${label} forward`);
            const [dg] = grad((t) => roiAlign(t, g.rois, attrs).square().sum(), [g.x]);
            const [dc] = grad((t) => roiAlign(t, c.rois, attrs).square().sum(), [c.x]);
            expectClose(await dg!.data(), await dc!.data(), `${label} gradient`);
            // a gradient broadcast from one value per RoI (stride 0 over C, ph, pw)
            const shape = [roiRows.length, C, attrs.pooledHeight, attrs.pooledWidth];
            const bg = tg.tensor([1, -2, 3, 0.5, 4, -1], { backend: 'webgpu' }).reshape([roiRows.length, 1, 1, 1]).expand(shape);
            const bc = tg.tensor([1, -2, 3, 0.5, 4, -1], { backend: 'cpu' }).reshape([roiRows.length, 1, 1, 1]).expand(shape);
            const opts = { ...attrs, inputShape: [N, C, H, W] };
            expectClose(await roiAlignBackward(bg, g.rois, opts).data(), await roiAlignBackward(bc, c.rois, opts).data(), `${label} broadcast gradient`);
          }
        });
      },
      TIMEOUT,
    );

    it(
      'roiPool, its argmax and its gradient on strided views, ties and NaN included',
      async () => {
        await tg.tidy(async () => {
          const data = xData.map((v, i) => (i % 17 === 3 ? Number.NaN : i % 5 === 0 ? 1.5 : v));
          const mk = (backend: string) => tg.tensor(data, { backend }).reshape([N, C, W, H]).transpose(2, 3);
          const xg = mk('webgpu');
          const xc = mk('cpu');
          const g = inputs('webgpu');
          const c = inputs('cpu');
          for (const attrs of [
            { pooledHeight: 3, pooledWidth: 2, spatialScale: 1 },
            { pooledHeight: 4, pooledWidth: 4, spatialScale: 0.6 },
          ]) {
            const label = JSON.stringify(attrs);
            const pg = roiPool(xg, g.rois, attrs);
            const pc = roiPool(xc, c.rois, attrs);
            expectClose(await pg.values.data(), await pc.values.data(), `${label} values`, 0, 0);
            expect(await numbers(pg.indices), `${label} argmax`).toEqual(await numbers(pc.indices));
            const [dg] = grad((t) => roiPool(t, g.rois, attrs).values.mul(2).sum(), [xg]);
            const [dc] = grad((t) => roiPool(t, c.rois, attrs).values.mul(2).sum(), [xc]);
            expectClose(await dg!.data(), await dc!.data(), `${label} gradient`);
            // roiPoolBackward with a transposed argmax view and a broadcast gradient
            const shape = [roiRows.length, C, attrs.pooledHeight, attrs.pooledWidth];
            const ag = pg.indices.transpose(2, 3).contiguous().transpose(2, 3);
            const opts = { inputShape: [N, C, H, W] };
            const gg = tg.tensor([0.5], { backend: 'webgpu' }).reshape([1, 1, 1, 1]).expand(shape);
            const gc = tg.tensor([0.5], { backend: 'cpu' }).reshape([1, 1, 1, 1]).expand(shape);
            expectClose(await roiPoolBackward(gg, g.rois, ag, opts).data(), await roiPoolBackward(gc, c.rois, pc.indices, opts).data(), `${label} strided backward`);
          }
        });
      },
      TIMEOUT,
    );

    it(
      'empty inputs: no RoIs (K = 0), no boxes (N = 0)',
      async () => {
        await tg.tidy(async () => {
          const x = tg.tensor(xData, { backend: 'webgpu' }).reshape([N, C, H, W]);
          const none = tg.zeros([0, 5], { backend: 'webgpu' });
          const attrs = configs[0]!;
          const out = roiAlign(x, none, attrs);
          expect(out.shape).toEqual([0, C, 3, 2]);
          expect(await numbers(out)).toEqual([]);
          const [dx] = grad((t) => roiAlign(t, none, attrs).sum(), [x]);
          expect(await numbers(dx!)).toEqual(new Array(N * C * H * W).fill(0));
          const pool = { pooledHeight: 3, pooledWidth: 2, spatialScale: 1 };
          const p = roiPool(x, none, pool);
          expect(p.values.shape).toEqual([0, C, 3, 2]);
          expect(await numbers(p.indices)).toEqual([]);
          const [dp] = grad((t) => roiPool(t, none, pool).values.sum(), [x]);
          expect(await numbers(dp!)).toEqual(new Array(N * C * H * W).fill(0));
          const keep = nms(tg.zeros([0, 4], { backend: 'webgpu' }), 0.5);
          expect(keep.shape).toEqual([0]);
          expect(await numbers(keep)).toEqual([]);
          expect(await numbers(nms(tg.tensor([[0, 0, 1, 1]], { backend: 'webgpu' }), 0.5))).toEqual([1]);
        });
      },
      TIMEOUT,
    );

    it(
      'a batch index outside [0, N), which webgpu cannot check without reading back: nothing is read, bins are 0',
      async () => {
        await tg.tidy(async () => {
          const x = tg.tensor(xData, { backend: 'webgpu' }).reshape([N, C, H, W]);
          const rois = tg.tensor([[2, 0, 0, 4, 4], [-1, 0, 0, 4, 4], [0, 0, 0, 4, 4]], { backend: 'webgpu' });
          const want = await roiAlign(x, rois.slice(0, 2, 3), configs[0]!).data();
          const got = await roiAlign(x, rois, configs[0]!).data();
          const per = C * 3 * 2;
          expect(Array.from(got.slice(0, 2 * per), Number)).toEqual(new Array(2 * per).fill(0));
          expectClose(got.slice(2 * per), want, 'the valid RoI');
          const p = roiPool(x, rois, { pooledHeight: 3, pooledWidth: 2, spatialScale: 1 });
          expect(await numbers(p.values.slice(0, 0, 2).flatten())).toEqual(new Array(2 * per).fill(0));
          expect(await numbers(p.indices.slice(0, 0, 2).flatten())).toEqual(new Array(2 * per).fill(-1));
          const [dx] = grad((t) => roiAlign(t, rois.slice(0, 0, 2), configs[0]!).sum(), [x]);
          expect(await numbers(dx!)).toEqual(new Array(N * C * H * W).fill(0));
        });
      },
      TIMEOUT,
    );

    it(
      'nms over 3000 clustered boxes (a strided view) gives the cpu kernel\'s keep mask, at several thresholds',
      async () => {
        await tg.tidy(async () => {
          const data = clusteredBoxes(3000, 11);
          // a few exact duplicates, reversed and zero-area boxes
          for (const [i, j] of [[10, 11], [500, 501], [2998, 2999]] as const) for (let d = 0; d < 4; d++) data[j * 4 + d] = data[i * 4 + d]!;
          [data[40 * 4 + 2], data[40 * 4]] = [data[40 * 4]!, data[40 * 4 + 2]!];
          data[77 * 4 + 2] = data[77 * 4]!;
          const cols = (backend: string) => tg.tensor(data, { backend }).reshape([3000, 4]).t().contiguous().t();
          const bg = cols('webgpu');
          const bc = cols('cpu');
          for (const thr of [0.2, 0.5, 0.8]) {
            const got = await numbers(nms(bg, thr));
            const want = await numbers(nms(bc, thr));
            expect(got, `threshold ${thr}`).toEqual(want);
            const kept = want.reduce((a, b) => a + b, 0);
            expect(kept, 'some boxes are suppressed, some kept').toBeGreaterThan(50);
            expect(kept).toBeLessThan(3000);
          }
        });
      },
      TIMEOUT,
    );

    it(
      'the nms sweep over chunks of rows (a small mask budget) gives the same mask',
      async () => {
        await tg.tidy(async () => {
          const n = 333;
          const data = clusteredBoxes(n, 5);
          const bg = tg.tensor(data, { backend: 'webgpu' }).reshape([n, 4]);
          const want = await numbers(nms(tg.tensor(data, { backend: 'cpu' }).reshape([n, 4]), 0.4));
          const words = Math.ceil(n / 32);
          // 1 row, 7 rows (chunks that do not align with the 32-box words) and 40 rows per chunk
          for (const rows of [1, 7, 40]) {
            const keep = wrapResult(be, { handle: nmsKeepMask(be, kernelTensor(bg), 0.4, rows * words * 4), shape: [n], dtype: 'bool' });
            expect(await numbers(keep), `${rows} rows per chunk`).toEqual(want);
            keep.dispose();
          }
        });
      },
      TIMEOUT,
    );

    it('nms compares the float32 IoU with the threshold as torchvision does (a double threshold between two float32s)', async () => {
      await tg.tidy(async () => {
        // IoU of these two boxes is exactly 0.25 in float32; thresholds just below and just above
        const boxes = [0, 0, 4, 5, 0, 0, 1, 5];
        for (const thr of [0.25 - 1e-12, 0.25, 0.25 + 1e-12]) {
          const got = await numbers(nms(tg.tensor(boxes, { backend: 'webgpu' }).reshape([2, 4]), thr));
          const want = await numbers(nms(tg.tensor(boxes, { backend: 'cpu' }).reshape([2, 4]), thr));
          expect(got, `threshold ${thr}`).toEqual(want);
        }
      });
    }, TIMEOUT);
  });
});
