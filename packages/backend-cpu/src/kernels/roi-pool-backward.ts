import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

// torchvision's _roi_pool_backward: each bin's gradient is added at its argmax in the plane of
// the RoI's image; -1 (an empty bin) adds nothing.
export const roiPoolBackward: Kernel<'roiPoolBackward', CpuBackend> = (ctx, g, rois, argmax, { inputShape }) => {
  const [, c, h, w] = inputShape;
  const [k, , ph, pw] = g.shape as [number, number, number, number];
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const D = data as FloatArray;
  const G = contiguousData(g);
  const R = contiguousData(rois);
  const A = contiguousData(argmax);
  const nb = ph * pw;
  for (let n = 0; n < k; n++) {
    const batch = Math.trunc(R.data[R.offset + n * 5]!);
    for (let ch = 0; ch < c; ch++) {
      const base = (batch * c + ch) * h * w;
      const o0 = (n * c + ch) * nb;
      for (let b = 0; b < nb; b++) {
        const a = A.data[A.offset + o0 + b]!;
        if (a >= 0) D[base + a] = D[base + a]! + G.data[G.offset + o0 + b]!;
      }
    }
  }
  return out;
};
