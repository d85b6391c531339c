import { roiAlignSamples, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

// torchvision's RoIAlign: the sample points and bilinear weights of each RoI are computed once
// (`roiAlignSamples`, shared with the other host-side backends) and applied to every channel;
// a bin sums its samples in double precision and divides by the sample count.
export const roiAlign: Kernel<'roiAlign', CpuBackend> = (ctx, x, rois, attrs) => {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const k = rois.shape[0]!;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const V = data as FloatArray;
  const X = contiguousData(x);
  const R = contiguousData(rois);
  const r = R.data.subarray(R.offset, R.offset + k * 5);
  const bins = attrs.pooledHeight * attrs.pooledWidth;
  const plane = h * w;
  for (let n = 0; n < k; n++) {
    const s = roiAlignSamples(r, n, attrs, h, w, ctx.dtype);
    const { pos, weight, perBin, count } = s;
    for (let ch = 0; ch < c; ch++) {
      const base = X.offset + (s.batch * c + ch) * plane;
      const o0 = (n * c + ch) * bins;
      for (let b = 0, q = 0; b < bins; b++) {
        let acc = 0;
        for (let e = 0; e < perBin; e++, q += 4) {
          acc +=
            weight[q]! * X.data[base + pos[q]!]! +
            weight[q + 1]! * X.data[base + pos[q + 1]!]! +
            weight[q + 2]! * X.data[base + pos[q + 2]!]! +
            weight[q + 3]! * X.data[base + pos[q + 3]!]!;
        }
        V[o0 + b] = acc / count;
      }
    }
  }
  return out;
};
