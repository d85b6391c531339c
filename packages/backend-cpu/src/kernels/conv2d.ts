import { convOutSize, type KernelMap } from '@tensorgrad/tensor';
import { matmulInto } from '../matmul-core.js';
import { result } from '../util.js';
import { colBuffer, contiguousData, im2col, type FloatArray } from './im2col.js';

/**
 * 2-D convolution as one GEMM per batch entry and group: `out[n, g] = W_g · im2col(x[n, g])`
 * (a 1×1 convolution with stride 1 and no padding multiplies the input planes directly).
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([[[[1, 2], [3, 4]]]]);
 * const w = tensor([[[[1, 1], [1, 1]]]]);
 * const attrs = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
 * const y = wrapResult(b, b.kernels.conv2d!(kernelTensor(x), kernelTensor(w), null, attrs));
 * await y.array(); // [[[[10]]]]
 * ```
 */
export const conv2d: KernelMap['conv2d'] = (x, w, bias, { stride, padding, dilation, groups }) => {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const [sh, sw] = stride;
  const [pt, pb, pl, pr] = padding;
  const [dh, dw] = dilation;
  const oh = convOutSize(h, kh, sh, pt + pb, dh);
  const ow = convOutSize(wd, kw, sw, pl + pr, dw);
  const { out, data } = result([n, o, oh, ow], x.dtype);
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
  const geo = { cg, h, w: wd, kh, kw, oh, ow, sh, sw, pt, pl, dh, dw };
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
      matmulInto(
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
