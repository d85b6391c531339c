import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { colBuffer, contiguousData, im2col, type FloatArray } from '../helpers/im2col.js';

/**
 * 2-D convolution as one GEMM per batch entry and group: `out[n, g] = W_g · im2col(x[n, g])`
 * (a 1×1 convolution with stride 1 and no padding multiplies the input planes directly).
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * const w = tensor([[[[1, 1], [1, 1]]]]);
 * const geometry = { n: 1, c: 1, h: 2, w: 2, o: 1, kh: 2, kw: 2, oh: 1, ow: 1, sh: 1, sw: 1, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, groups: 1 };
 * const attrs = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
 * const y = backend.kernels.conv2d!({ backend, shape: [1, 1, 1, 1], dtype: 'float32', geometry }, kernelTensor(x), kernelTensor(w), null, attrs);
 * await wrapResult(backend, y).array(); // [[[[10]]]]
 * ```
 */
export const conv2d: Kernel<'conv2d', CpuBackend> = (ctx, x, w, bias) => {
  const geo = ctx.geometry;
  const { n, c, h, w: wd, o, kh, kw, oh, ow, sh, sw, pt, pb, pl, pr, groups } = geo;
  const cg = c / groups;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const C = data as FloatArray;
  const L = oh * ow;
  const og = o / groups;
  const K = cg * kh * kw;
  if (bias) {
    const bd = contiguousData(bias);
    for (let b = 0; b < n; b++) for (let q = 0; q < o; q++) C.fill(bd.data[bd.offset + q]!, (b * o + q) * L, (b * o + q + 1) * L);
  }
  if (L === 0 || n === 0 || o === 0) return out;
  const X = contiguousData(x);
  const W = contiguousData(w);
  const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && pt === 0 && pb === 0 && pl === 0 && pr === 0;
  const col = pointwise ? null : colBuffer(x.dtype, K * L);
  const gemm = ctx.backend.gemm;
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const xo = X.offset + (b * c + g * cg) * h * wd;
      let B;
      if (col) {
        im2col(X.data, xo, geo, col);
        B = { data: col, offset: 0, rowStride: L, colStride: 1 };
      } else {
        B = { data: X.data, offset: xo, rowStride: h * wd, colStride: 1 };
      }
      gemm.matmulInto(
        og, L, K,
        { data: W.data, offset: W.offset + g * og * K, rowStride: K, colStride: 1 },
        B,
        { data: C, offset: (b * o + g * og) * L, rowStride: L, colStride: 1 },
        bias !== null,
      );
    }
  }
  return out;
};
