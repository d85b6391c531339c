// The detection kernels (roiAlign, roiPool, their backward ops, nms) on both tfjs engines against
// the CPU kernels, which @tensorgrad/vision's tests check against torchvision 0.14: RoIs inside,
// partly and wholly outside the image, inverted and degenerate, empty bins, a bin whose values
// are all -Infinity, and NMS with inverted boxes and exact duplicates.
import { describe, expect, it } from 'vitest';
import { findBackend, tensor, type Tensor } from '@tensorgrad/tensor';
import { nms, roiAlign, roiPool } from '@tensorgrad/tensor/backend';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-tfjs';

await findBackend('tfjs');
await findBackend('tfjs-wasm');

function values(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.fround(-1 + (2 * s) / 2 ** 32);
  });
}

const SHAPE = [2, 3, 7, 9];
const X = values(2 * 3 * 7 * 9, 1);
X[3 * 63 + 10] = -Infinity; // image 1, channel 0: a whole bin of -Infinity below
X[3 * 63 + 11] = -Infinity;
const ROIS = [
  [0, 1, 1, 10, 8],
  [1, -6, -4, 5, 3],
  [0, 14, 10, 30, 24],
  [1, 40, 40, 50, 60],
  [0, 12, 9, 3, 2],
  [1, 6, 6, 6, 6],
  [0, 0.3, 2.7, 7.9, 11.2],
  [1, -10, -10, 40, 40],
  [1, 1, 1, 2, 1],
];
const G = values(ROIS.length * 3 * 12, 5);

/** Output and input gradient of `f` on `backend`. */
async function run(backend: string, f: (x: Tensor, rois: Tensor) => Tensor): Promise<[number[], number[]]> {
  const x = tensor(X, { backend }).reshape(SHAPE).requiresGrad_();
  const y = f(x, tensor(ROIS, { backend }));
  y.backward(tensor(G.slice(0, y.numel()), { backend }).reshape([...y.shape]));
  return [Array.from(await y.data()), Array.from(await x.grad!.data())];
}

function close(got: number[], want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => {
    if (!(v === want[i] || (Number.isNaN(v) && Number.isNaN(want[i]!)) || Math.abs(v - want[i]!) <= tol * (1 + Math.abs(want[i]!)))) expect.fail(`[${i}]: got ${v}, cpu ${want[i]}`);
  });
}

for (const engine of ['tfjs', 'tfjs-wasm']) {
  describe(`detection kernels on ${engine} agree with the CPU kernels`, () => {
    const variants: [string, (x: Tensor, r: Tensor) => Tensor][] = [
      ['roiAlign adaptive', (x, r) => roiAlign(x, r, { spatialScale: 0.5, pooledHeight: 3, pooledWidth: 4 })],
      ['roiAlign aligned sr2', (x, r) => roiAlign(x, r, { spatialScale: 0.5, pooledHeight: 2, pooledWidth: 2, samplingRatio: 2, aligned: true })],
      ['roiPool', (x, r) => roiPool(x, r, { spatialScale: 1, pooledHeight: 3, pooledWidth: 4 }).values],
      ['roiPool s0.5', (x, r) => roiPool(x, r, { spatialScale: 0.5, pooledHeight: 2, pooledWidth: 3 }).values],
    ];
    for (const [name, f] of variants) {
      it(`${name}: values and input gradient`, async () => {
        const [y, gx] = await run('cpu', f);
        const [ty, tgx] = await run(engine, f);
        close(ty, y, 1e-5);
        close(tgx, gx, 1e-5);
      });
    }
    it('roiPool argmax: -1 for empty bins and all -Infinity bins', async () => {
      const opts = { spatialScale: 1, pooledHeight: 3, pooledWidth: 4 };
      const cpu = roiPool(tensor(X).reshape(SHAPE), tensor(ROIS), opts);
      const tf = roiPool(tensor(X, { backend: engine }).reshape(SHAPE), tensor(ROIS, { backend: engine }), opts);
      const want = Array.from(await cpu.indices.data());
      expect(Array.from(await tf.indices.data())).toEqual(want);
      expect(want.filter((v) => v === -1).length).toBeGreaterThan(4);
      // the -Infinity bin: torchvision's -FLT_MAX with no argmax
      expect(Array.from(await tf.values.data())).toContain(-3.4028234663852886e38);
    });
    it('nms keep mask with duplicates and inverted boxes', async () => {
      const boxes = [[0, 0, 10, 10], [0, 0, 10, 10], [10, 10, 0, 0], [1, 1, 11, 11], [30, 30, 25, 40], [26, 30, 30, 40], [50, 50, 60, 60]];
      for (const t of [0, 0.3, 0.5, 1]) {
        const want = await nms(tensor(boxes), t).array();
        expect(await nms(tensor(boxes, { backend: engine }), t).array(), `iouThreshold ${t}`).toEqual(want);
      }
    });
  });
}
