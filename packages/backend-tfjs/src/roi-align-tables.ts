/** RoIAlign's gather/scatter tables, shared by the tfjs roiAlign and roiAlignBackward kernels. */
import { roiAlignSamples, type KernelTensor, type RoiAlignParams } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from './backend.js';

/**
 * The gather/scatter tables of RoIAlign on the host (the RoIs are read back, which tfjs can do
 * synchronously; the image data never leaves tfjs): one row per sample corner inside the image,
 * with the pixel row of the `[N·H·W, C]` planes it reads, its weight divided by the bin's sample
 * count, and the output bin `k·bins + b` it adds to.
 */
export function roiAlignTables(
  b: TfjsBackend,
  rois: KernelTensor,
  attrs: RoiAlignParams,
  h: number,
  w: number,
): { pixel: Int32Array; weight: Float32Array; bin: Int32Array } {
  const k = rois.shape[0]!;
  const r = b.view(rois).dataSync();
  const bins = attrs.pooledHeight * attrs.pooledWidth;
  const all = Array.from({ length: k }, (_, n) => roiAlignSamples(r, n, attrs, h, w, 'float32'));
  const total = all.reduce((t, s) => t + s.inside.reduce((a, v) => a + v, 0) * 4, 0);
  const pixel = new Int32Array(total);
  const weight = new Float32Array(total);
  const bin = new Int32Array(total);
  let o = 0;
  all.forEach((s, n) => {
    for (let q = 0; q < s.inside.length; q++) {
      if (!s.inside[q]) continue;
      for (let j = 0; j < 4; j++, o++) {
        pixel[o] = s.batch * h * w + s.pos[q * 4 + j]!;
        weight[o] = s.weight[q * 4 + j]! / s.count;
        bin[o] = n * bins + Math.floor(q / s.perBin);
      }
    }
  });
  return { pixel, weight, bin };
}
