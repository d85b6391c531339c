// The box ops, detection utils and metrics are compositions of ops every backend has: run on the
// tfjs backend (its cpu engine) and on WebGPU where an adapter exists (otherwise one skipped test
// says why), against the cpu backend's values (which the other tests check against torchvision).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBackend, Generator, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/autodiff';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/backend-tfjs';
import {
  BalancedPositiveNegativeSampler,
  BoxCoder,
  boxConvert,
  boxIou,
  clipBoxesToImage,
  distanceBoxIou,
  generalizedBoxIouLoss,
  Matcher,
  MeanAveragePrecision,
  removeSmallBoxesAsync,
  sigmoidFocalLoss,
  SSDMatcher,
} from '@tensorgrad/vision';

for (const root of ['../../../', '../../../../main/']) {
  const icd = fileURLToPath(new URL(`${root}.cache/webgpu/lavapipe/lvp_icd.json`, import.meta.url));
  if (!process.env.VK_ICD_FILENAMES && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd;
}
await import('@tensorgrad/backend-webgpu');

const B1 = [
  [1, 2, 20, 30],
  [5, 5, 9, 40],
  [30, 1, 35, 6],
  [0, 0, 50, 50],
];
const B2 = [
  [2, 3, 18, 28],
  [6, 0, 12, 30],
  [31, 2, 36, 7],
  [40, 40, 41, 41],
];
const LOGITS = [0.3, -1.2, 2.5, 0, -4];
const TARGETS = [1, 0, 1, 1, 0];

/** Runs every function on `backend` and returns the read-back numbers. */
async function results(backend: string): Promise<Record<string, number[]>> {
  const t = (v: number[][] | number[]) => tensor(v, { backend });
  const out: Record<string, number[]> = {};
  const read = async (k: string, x: Tensor) => {
    expect(x.backend, k).toBe(backend);
    out[k] = Array.from(await x.data());
  };
  await read('iou', boxIou(t(B1), t(B2)));
  await read('diou', distanceBoxIou(t(B1), t(B2)));
  await read('convert', boxConvert(t(B1), { inFmt: 'xyxy', outFmt: 'cxcywh' }));
  await read('clip', clipBoxesToImage(t(B1), { size: [25, 32] }));
  const p = t(B1).requiresGrad_();
  const l = generalizedBoxIouLoss(p, t(B2), { reduction: 'sum' });
  l.backward();
  await read('giouLoss', l);
  await read('giouGrad', p.grad!);
  const x = t(LOGITS).requiresGrad_();
  const f = sigmoidFocalLoss(x, t(TARGETS), { reduction: 'mean' });
  f.backward();
  await read('focal', f);
  await read('focalGrad', x.grad!);
  await read('small', await removeSmallBoxesAsync(t(B1), { minSize: 6 }));
  const iou = boxIou(t(B2), t(B1));
  await read('match', new Matcher(0.7, 0.3, true)(iou));
  await read('ssd', new SSDMatcher(0.9)(iou));
  const coder = new BoxCoder([10, 10, 5, 5]);
  const codes = coder.encodeSingle(t(B2), t(B1));
  await read('encode', codes);
  await read('decode', coder.decode(codes, [t(B1)]));
  const [pos, neg] = await new BalancedPositiveNegativeSampler(4, 0.5, { generator: new Generator(5) }).callAsync([tensor([1, 0, 0, -1, 2, 0, 1, 0], { dtype: 'int32', backend })]);
  await read('pos', pos[0]!.int());
  await read('neg', neg[0]!.int());
  const m = new MeanAveragePrecision({ classMetrics: true });
  await m.updateAsync(
    [{ boxes: t(B1), scores: t([0.9, 0.8, 0.7, 0.6]), labels: tensor([0, 1, 0, 1], { dtype: 'int32', backend }) }],
    [{ boxes: t(B2), labels: tensor([0, 1, 0, 0], { dtype: 'int32', backend }) }],
  );
  const r = m.compute();
  out.map = [r.map, r.map50, r.mar100, ...(r.mapPerClass as number[])];
  return out;
}

const reference = await results('cpu');

for (const name of ['tfjs', 'webgpu']) {
  const unavailable = await findBackend(name).then(
    () => null,
    (e: Error) => e.message,
  );
  describe(`box ops, detection utils and metrics on ${name}`, () => {
    if (unavailable !== null) {
      it.skip(`${name} unavailable: ${unavailable}`, () => {});
      return;
    }
    it("give the cpu backend's values", async () => {
      const got = await results(name);
      expect(Object.keys(got)).toEqual(Object.keys(reference));
      for (const [k, want] of Object.entries(reference)) {
        const g = got[k]!;
        expect(g.length, k).toBe(want.length);
        want.forEach((w, i) => expect(Math.abs(g[i]! - w), `${k}[${i}] on ${name}: ${g[i]} vs ${w}`).toBeLessThanOrEqual(2e-5 * Math.max(1, Math.abs(w))));
      }
    });
  });
}
