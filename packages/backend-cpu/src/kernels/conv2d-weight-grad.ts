import type { KernelMap } from '@tensorgrad/tensor';
import { matmulInto } from '../matmul-core.js';
import { result } from '../util.js';
import { colBuffer, contiguousData, im2col, type FloatArray } from './im2col.js';

/**
 * The weight gradient of `conv2d`: `dW_g = Σ_n g[n, g] · im2col(x[n, g])ᵀ`, one accumulating
 * GEMM per batch entry and group (the column matrix is read transposed through its strides).
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * const g = tensor([[[[1]]]]);
 * const attrs = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1, kernelSize: [2, 2] } as const;
 * const dw = wrapResult(b, b.kernels.conv2dWeightGrad!(kernelTensor(x), kernelTensor(g), attrs));
 * await dw.array(); // [[[[1, 2], [3, 4]]]]
 * ```
 */
export const conv2dWeightGrad: KernelMap['conv2dWeightGrad'] = (x, g, { stride, padding, dilation, groups, kernelSize }) => {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [, o, oh, ow] = g.shape as [number, number, number, number];
  const [kh, kw] = kernelSize;
  const cg = c / groups;
  const og = o / groups;
  const { out, data } = result([o, cg, kh, kw], x.dtype);
  const D = data as FloatArray;
  const L = oh * ow;
  const K = cg * kh * kw;
  if (L === 0 || n === 0 || K === 0 || og === 0) return out;
  const X = contiguousData(x);
  const G = contiguousData(g);
  const col = colBuffer(x.dtype, K * L);
  const geo = { cg, h, w: wd, kh, kw, oh, ow, sh: stride[0], sw: stride[1], pt: padding[0], pl: padding[2], dh: dilation[0], dw: dilation[1] };
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < groups; q++) {
      im2col(X.data, X.offset + (b * c + q * cg) * h * wd, geo, col);
      matmulInto(
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
