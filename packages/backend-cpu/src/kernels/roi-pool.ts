import { roiPoolBins, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

/** C's `-FLT_MAX`: torchvision's starting maximum of a non-empty bin. */
const NEG_FLT_MAX = -3.4028234663852886e38;

// torchvision's RoIPool: the bins of each RoI (`roiPoolBins`) are scanned row-major and a value
// replaces the maximum only when strictly larger (so NaN never wins and the first maximum wins
// ties); an empty bin gives 0 with argmax -1.
export const roiPool: Kernel<'roiPool', CpuBackend> = (ctx, x, rois, attrs) => {
  const [, c, h, w] = x.shape as [number, number, number, number];
  const k = rois.shape[0]!;
  const values = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const indices = ctx.backend.result(ctx.shape, 'int32', true);
  const V = values.data as FloatArray;
  const I = indices.data as Int32Array;
  const X = contiguousData(x);
  const R = contiguousData(rois);
  const r = R.data.subarray(R.offset, R.offset + k * 5);
  const nb = attrs.pooledHeight * attrs.pooledWidth;
  for (let n = 0; n < k; n++) {
    const bins = roiPoolBins(r, n, attrs, h, w, ctx.dtype);
    const batch = Math.trunc(r[n * 5]!);
    for (let ch = 0; ch < c; ch++) {
      const base = X.offset + (batch * c + ch) * h * w;
      const o0 = (n * c + ch) * nb;
      for (let b = 0; b < nb; b++) {
        const { h0, h1, w0, w1 } = bins[b]!;
        const empty = h1 <= h0 || w1 <= w0;
        let best = empty ? 0 : NEG_FLT_MAX;
        let bi = -1;
        for (let y = h0; y < h1; y++) {
          for (let xx = w0; xx < w1; xx++) {
            const v = X.data[base + y * w + xx]!;
            if (v > best) {
              best = v;
              bi = y * w + xx;
            }
          }
        }
        V[o0 + b] = best;
        I[o0 + b] = bi;
      }
    }
  }
  return [values.out, indices.out];
};
