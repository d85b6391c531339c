import { roiAlignSamples, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

// The adjoint of roiAlign (torchvision's _roi_align_backward): each bin's gradient, divided by
// the sample count, is added to the four pixels of every sample with the forward's weights.
export const roiAlignBackward: Kernel<'roiAlignBackward', CpuBackend> = (ctx, g, rois, attrs) => {
  const [, c, h, w] = attrs.inputShape;
  const k = rois.shape[0]!;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const D = data as FloatArray;
  const G = contiguousData(g);
  const R = contiguousData(rois);
  const r = R.data.subarray(R.offset, R.offset + k * 5);
  const bins = attrs.pooledHeight * attrs.pooledWidth;
  const plane = h * w;
  for (let n = 0; n < k; n++) {
    const s = roiAlignSamples(r, n, attrs, h, w, ctx.dtype);
    const { pos, weight, inside, perBin, count } = s;
    for (let ch = 0; ch < c; ch++) {
      const base = (s.batch * c + ch) * plane;
      const g0 = G.offset + (n * c + ch) * bins;
      for (let b = 0, q = 0; b < bins; b++) {
        const gb = G.data[g0 + b]! / count;
        for (let e = 0; e < perBin; e++, q += 4) {
          if (!inside[q / 4]) continue;
          for (let j = 0; j < 4; j++) D[base + pos[q + j]!] = D[base + pos[q + j]!]! + gb * weight[q + j]!;
        }
      }
    }
  }
  return out;
};
