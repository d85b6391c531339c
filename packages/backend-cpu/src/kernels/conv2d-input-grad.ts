import type { KernelMap } from '@tensorgrad/tensor';
import { matmulInto } from '../matmul-core.js';
import { result } from '../util.js';
import { col2im, colBuffer, contiguousData, type FloatArray } from './im2col.js';

/**
 * The input gradient of `conv2d` (and the forward of `convTranspose2d`): per batch entry and
 * group, `col = W_gᵀ · g[n, g]` (one GEMM reading W transposed through its strides), then col2im
 * adds the columns back onto the input planes.
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const g = tensor([[[[1]]]]);
 * const w = tensor([[[[1, 2], [3, 4]]]]);
 * const attrs = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1, inputSize: [2, 2] } as const;
 * const dx = wrapResult(b, b.kernels.conv2dInputGrad!(kernelTensor(g), kernelTensor(w), null, attrs));
 * await dx.array(); // [[[[1, 2], [3, 4]]]]
 * ```
 */
export const conv2dInputGrad: KernelMap['conv2dInputGrad'] = (g, w, bias, { stride, padding, dilation, groups, inputSize }) => {
  const [n, o, oh, ow] = g.shape as [number, number, number, number];
  const [, cg, kh, kw] = w.shape as [number, number, number, number];
  const [h, wd] = inputSize;
  const c = cg * groups;
  const { out, data } = result([n, c, h, wd], g.dtype);
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
  const geo = { cg, h, w: wd, kh, kw, oh, ow, sh: stride[0], sw: stride[1], pt: padding[0], pl: padding[2], dh: dilation[0], dw: dilation[1] };
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < groups; q++) {
      matmulInto(
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
