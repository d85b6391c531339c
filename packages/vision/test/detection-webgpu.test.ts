// torchvision.ops' RoI pooling and NMS on WebGPU, as a detector calls them (lists of per-image
// boxes, several pyramid levels, per-class NMS), against the same calls on the CPU backend (whose
// kernels conformance checks against PyTorch). WebGPU cannot read synchronously, so these take
// the paths that keep everything on the device: MultiScaleRoIAlign pools every RoI at every level
// and selects, the NMS counts come from nmsAsync/batchedNmsAsync. Skipped (one test says why)
// where no WebGPU adapter exists.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBackend, tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import { grad } from '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import { MultiScaleRoIAlign, batchedNms, batchedNmsAsync, nms, nmsAsync, roiAlign, roiPool } from '@tensorgrad/vision';

// the lavapipe driver scripts/ensure-webgpu.sh unpacks (in this checkout or the main one)
for (const root of ['../../../', '../../../../main/']) {
  const icd = fileURLToPath(new URL(`${root}.cache/webgpu/lavapipe/lvp_icd.json`, import.meta.url));
  if (!process.env.VK_ICD_FILENAMES && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
}
await import('@tensorgrad/backend-webgpu');
const unavailable = await findBackend('webgpu').then(
  () => null,
  (e: Error) => e.message,
);
const TIMEOUT = 180_000;

function random(n: number, seed: number, lo = 0, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

/** `n` boxes in overlapping clusters over a `size × size` image. */
function boxes(n: number, seed: number, size: number): number[][] {
  const r = random(n * 5, seed);
  return Array.from({ length: n }, (_, i) => {
    const c = Math.floor(r[i * 5]! * 12);
    const x = ((c % 4) / 4) * size + r[i * 5 + 1]! * size * 0.1;
    const y = (Math.floor(c / 4) / 3) * size + r[i * 5 + 2]! * size * 0.1;
    return [x, y, x + 4 + r[i * 5 + 3]! * size * 0.4, y + 4 + r[i * 5 + 4]! * size * 0.4];
  });
}

async function expectClose(got: Tensor, want: Tensor, label: string, tol = 1e-5): Promise<void> {
  expect(got.shape, `${label}: shape`).toEqual(want.shape);
  const g = await got.data();
  const w = await want.data();
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(g[i]! - w[i]!) <= tol + tol * Math.abs(w[i]!))) throw new Error(`${label}: element ${i} is ${g[i]}, expected ${w[i]}`);
  }
}

describe('detection ops on webgpu vs cpu', () => {
  if (unavailable !== null) {
    it.skip(`webgpu unavailable: ${unavailable}`, () => {});
    return;
  }
  const featData = { p2: random(2 * 4 * 32 * 32, 1, -1, 1), p3: random(2 * 4 * 16 * 16, 2, -1, 1), p4: random(2 * 4 * 8 * 8, 3, -1, 1) };
  const feats = (backend: string) => ({
    p2: tensor(featData.p2, { backend }).reshape([2, 4, 32, 32]),
    p3: tensor(featData.p3, { backend }).reshape([2, 4, 16, 16]),
    p4: tensor(featData.p4, { backend }).reshape([2, 4, 8, 8]),
  });
  // small boxes map to p2, large ones to p3 and p4 (torchvision's LevelMapper: canonical 224² at level 4)
  const perImage = [boxes(9, 4, 128), [[0, 0, 127, 127], [3, 5, 20, 11], [60, 60, 61, 61], [-10, -10, 200, 150], [-100, -100, 400, 400]]];

  it(
    'roiAlign and roiPool over per-image box lists, with the gradient of roiAlign',
    async () => {
      await tidy(async () => {
        for (const [name, opts] of [
          ['adaptive', { outputSize: [3, 2], spatialScale: 0.25, samplingRatio: -1 }],
          ['aligned', { outputSize: 4, spatialScale: 0.25, samplingRatio: 2, aligned: true }],
        ] as const) {
          const run = (backend: string) => {
            const x = feats(backend).p2;
            const bx = perImage.map((b) => tensor(b, { backend }));
            const out = roiAlign(x, bx, opts);
            const [dx] = grad((t) => roiAlign(t, bx, opts).square().sum(), [x]);
            return [out, dx!];
          };
          const [og, dg] = run('webgpu');
          const [oc, dc] = run('cpu');
          await expectClose(og!, oc!, `roiAlign ${name}`);
          await expectClose(dg!, dc!, `roiAlign ${name} gradient`, 1e-4);
        }
        const pool = (backend: string) => roiPool(feats(backend).p3, perImage.map((b) => tensor(b, { backend })), { outputSize: 3, spatialScale: 0.125 });
        await expectClose(pool('webgpu'), pool('cpu'), 'roiPool');
      });
    },
    TIMEOUT,
  );

  it(
    'MultiScaleRoIAlign over three levels (every level pooled and selected on the device) and its gradient',
    async () => {
      await tidy(async () => {
        const run = (backend: string) => {
          const pooler = new MultiScaleRoIAlign(['p2', 'p3', 'p4'], 3, 2);
          const f = feats(backend);
          const bx = perImage.map((b) => tensor(b, { backend }));
          const shapes = [[128, 128], [128, 128]] as const;
          const out = pooler.call(f, bx, shapes);
          const [d2, d3, d4] = grad((a, b, c) => pooler.call({ p2: a, p3: b, p4: c }, bx, shapes).mul(out.detach()).sum(), [f.p2, f.p3, f.p4]);
          return [out, d2!, d3!, d4!];
        };
        const g = run('webgpu');
        const c = run('cpu');
        for (let i = 0; i < g.length; i++) await expectClose(g[i]!, c[i]!, i === 0 ? 'pooled' : `gradient of level ${i - 1}`, 1e-4);
      });
    },
    TIMEOUT,
  );

  it(
    'nmsAsync and batchedNmsAsync over 1500 clustered boxes give the cpu ops\' indices',
    async () => {
      await tidy(async () => {
        const b = boxes(1500, 9, 256);
        const scores = random(1500, 10);
        const classes = random(1500, 11, 0, 5).map(Math.floor);
        for (const thr of [0.3, 0.6]) {
          const kg = await nmsAsync(tensor(b, { backend: 'webgpu' }), tensor(scores, { backend: 'webgpu' }), thr);
          const kc = nms(tensor(b, { backend: 'cpu' }), tensor(scores, { backend: 'cpu' }), thr);
          expect(await kg.array(), `nms ${thr}`).toEqual(await kc.array());
          const bg = await batchedNmsAsync(tensor(b, { backend: 'webgpu' }), tensor(scores, { backend: 'webgpu' }), tensor(classes, { backend: 'webgpu', dtype: 'int32' }), thr);
          const bc = batchedNms(tensor(b, { backend: 'cpu' }), tensor(scores, { backend: 'cpu' }), tensor(classes, { backend: 'cpu', dtype: 'int32' }), thr);
          expect(await bg.array(), `batchedNms ${thr}`).toEqual(await bc.array());
          expect(bc.shape[0]!, 'per-class NMS keeps more boxes').toBeGreaterThan(kc.shape[0]!);
        }
      });
    },
    TIMEOUT,
  );
  it(
    'bad input as on the cpu: NaN scores and ties, negative coordinates across categories, no boxes, NaN RoIs',
    async () => {
      await tidy(async () => {
        const b = [
          [-10, -10, -1, -1],
          [-10, -10, -1, -1],
          [-9, -9, -2, -2],
          [-30, -20, -12, -11],
          [-31, -20, -12, -11],
          [-30, -20, -12, -11],
        ];
        const scores = [0.5, Number.NaN, 0.5, 0.9, Number.NaN, 0.9];
        const classes = [0, 1, 1, 2, 2, 0];
        for (const thr of [0, 0.5]) {
          const kg = await nmsAsync(tensor(b, { backend: 'webgpu' }), tensor(scores, { backend: 'webgpu' }), thr);
          expect(await kg.array(), `nms ${thr}`).toEqual(await nms(tensor(b), tensor(scores), thr).array());
          const bg = await batchedNmsAsync(tensor(b, { backend: 'webgpu' }), tensor(scores, { backend: 'webgpu' }), tensor(classes, { backend: 'webgpu', dtype: 'int32' }), thr);
          expect(await bg.array(), `batchedNms ${thr}`).toEqual(await batchedNms(tensor(b), tensor(scores), tensor(classes, { dtype: 'int32' }), thr).array());
        }
        await expect(batchedNmsAsync(tensor(b, { backend: 'webgpu' }), tensor(scores, { backend: 'webgpu' }), tensor(classes, { dtype: 'int32' }), 0.5)).rejects.toThrow(
          /boxes are on 'webgpu' and idxs on 'cpu'; move idxs with \.to\('webgpu'\)/,
        );
        const none = await nmsAsync(tensor([], { backend: 'webgpu' }).reshape([0, 4]), tensor([], { backend: 'webgpu' }), 0.5);
        expect([none.shape, none.dtype]).toEqual([[0], 'int32']);
        const x = random(2 * 2 * 5 * 6, 12);
        const rois = [
          [0, Number.NaN, 1, 4, 4],
          [1, 1, 1, 4, Number.NaN],
          [1, 0, 0, 5, 3],
        ];
        const pool = (backend: string): Tensor => roiPool(tensor(x, { backend }).reshape([2, 2, 5, 6]), tensor(rois, { backend }), { outputSize: [2, 3] });
        const want = await pool('cpu').array();
        expect(await pool('webgpu').array()).toEqual(want);
        expect((want as number[][][][]).slice(0, 2).flat(3).every((v) => v === 0)).toBe(true);
      });
    },
    TIMEOUT,
  );
});
