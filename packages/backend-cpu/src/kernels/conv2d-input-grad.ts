import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { col2im, colBuffer, contiguousData, type FloatArray } from '../helpers/im2col.js';

/**
 * The input gradient of `conv2d` (and the forward of `convTranspose2d`): per batch entry and
 * group, `col = W_gᵀ · g[n, g]` (one GEMM reading W transposed through its strides), then col2im
 * adds the columns back onto the input planes.
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const g = tensor([[[[1]]]]);
 * const w = tensor([[[[1, 2], [3, 4]]]]);
 * const geometry = { n: 1, c: 1, h: 2, w: 2, o: 1, kh: 2, kw: 2, oh: 1, ow: 1, sh: 1, sw: 1, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, groups: 1 };
 * const attrs = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1, inputSize: [2, 2] } as const;
 * const dx = backend.kernels.conv2dInputGrad!({ backend, shape: [1, 1, 2, 2], dtype: 'float32', geometry }, kernelTensor(g), kernelTensor(w), null, attrs);
 * await wrapResult(backend, dx).array(); // [[[[1, 2], [3, 4]]]]
 * ```
 */
export const conv2dInputGrad: Kernel<'conv2dInputGrad', CpuBackend> = (ctx, g, w, bias) => {
  const geo = ctx.geometry;
  const { n, c, h, w: wd, o, kh, kw, oh, ow, groups } = geo;
  const cg = c / groups;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const D = data as FloatArray;
  const HW = h * wd;
  if (bias) {
    const bd = contiguousData(bias);
    for (let b = 0; b < n; b++) for (let q = 0; q < c; q++) D.fill(bd.data[bd.offset + q]!, (b * c + q) * HW, (b * c + q + 1) * HW);
  }
  const L = oh * ow;
  const og = o / groups;
  const K = cg * kh * kw;
  if (L === 0 || n === 0 || c === 0 || og === 0) return out;
  const G = contiguousData(g);
  const W = contiguousData(w);
  const col = colBuffer(g.dtype, K * L);
  const gemm = ctx.backend.gemm;
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < groups; q++) {
      gemm.matmulInto(
        K, L, og,
        { data: W.data, offset: W.offset + q * og * K, rowStride: 1, colStride: K },
        { data: G.data, offset: G.offset + (b * o + q * og) * L, rowStride: L, colStride: 1 },
        { data: col, offset: 0, rowStride: L, colStride: 1 },
      );
      col2im(col, geo, D, (b * c + q * cg) * HW);
    }
  }
  return out;
};
