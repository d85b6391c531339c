import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { colBuffer, contiguousData, im2col, type FloatArray } from '../helpers/im2col.js';

/**
 * The weight gradient of `conv2d`: `dW_g = Σ_n g[n, g] · im2col(x[n, g])ᵀ`, one accumulating
 * GEMM per batch entry and group (the column matrix is read transposed through its strides).
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * const g = tensor([[[[1]]]]);
 * const geometry = { n: 1, c: 1, h: 2, w: 2, o: 1, kh: 2, kw: 2, oh: 1, ow: 1, sh: 1, sw: 1, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, groups: 1 };
 * const attrs = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1, kernelSize: [2, 2] } as const;
 * const dw = backend.kernels.conv2dWeightGrad!({ backend, shape: [1, 1, 2, 2], dtype: 'float32', geometry }, kernelTensor(x), kernelTensor(g), attrs);
 * await wrapResult(backend, dw).array(); // [[[[1, 2], [3, 4]]]]
 * ```
 */
export const conv2dWeightGrad: Kernel<'conv2dWeightGrad', CpuBackend> = (ctx, x, g) => {
  const geo = ctx.geometry;
  const { n, c, h, w: wd, o, kh, kw, oh, ow, groups } = geo;
  const cg = c / groups;
  const og = o / groups;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const D = data as FloatArray;
  const L = oh * ow;
  const K = cg * kh * kw;
  if (L === 0 || n === 0 || K === 0 || og === 0) return out;
  const X = contiguousData(x);
  const G = contiguousData(g);
  const col = colBuffer(x.dtype, K * L);
  const gemm = ctx.backend.gemm;
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < groups; q++) {
      im2col(X.data, X.offset + (b * c + q * cg) * h * wd, geo, col);
      gemm.matmulInto(
        og, K, L,
        { data: G.data, offset: G.offset + (b * o + q * og) * L, rowStride: L, colStride: 1 },
        { data: col, offset: 0, rowStride: 1, colStride: L },
        { data: D, offset: q * og * K, rowStride: K, colStride: 1 },
        b > 0,
      );
    }
  }
  return out;
};
