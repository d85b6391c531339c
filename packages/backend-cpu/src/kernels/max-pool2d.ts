import { poolOutSize, type KernelMap } from '@tensorgrad/tensor';
import { result } from '../util.js';
import { contiguousData, type FloatArray } from './im2col.js';

/**
 * Max pooling: every output is the maximum of its (dilated) window, with its position in the
 * `H·W` plane as int32 index (padding never wins; NaN propagates; the first maximum wins ties).
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([[[[1, 5], [3, 4]]]]);
 * const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false } as const;
 * const [v, i] = b.kernels.maxPool2d!(kernelTensor(x), attrs);
 * await wrapResult(b, v).array(); // [[[[5]]]]
 * await wrapResult(b, i).array(); // [[[[1]]]]
 * ```
 */
export const maxPool2d: KernelMap['maxPool2d'] = (x, { kernelSize, stride, padding, dilation, ceilMode }) => {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = kernelSize;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const [dh, dw] = dilation;
  const oh = poolOutSize(h, kh, sh, ph, dh, ceilMode);
  const ow = poolOutSize(w, kw, sw, pw, dw, ceilMode);
  const values = result([n, c, oh, ow], x.dtype);
  const indices = result([n, c, oh, ow], 'int32');
  const V = values.data as FloatArray;
  const I = indices.data as Int32Array;
  const X = contiguousData(x);
  const src = X.data;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = X.offset + p * h * w;
    for (let y = 0; y < oh; y++) {
      let h0 = y * sh - ph;
      const h1 = Math.min(h0 + (kh - 1) * dh + 1, h);
      while (h0 < 0) h0 += dh;
      for (let x0 = 0; x0 < ow; x0++, o++) {
        let w0 = x0 * sw - pw;
        const w1 = Math.min(w0 + (kw - 1) * dw + 1, w);
        while (w0 < 0) w0 += dw;
        let best = -Infinity;
        let bi = h0 * w + w0;
        window: for (let ih = h0; ih < h1; ih += dh) {
          const row = ih * w;
          for (let iw = w0; iw < w1; iw += dw) {
            const v = src[base + row + iw]!;
            // `!(v <= best)`: a larger value or a NaN, which wins and ends the window
            if (!(v <= best)) {
              best = v;
              bi = row + iw;
              if (v !== v) break window;
            }
          }
        }
        V[o] = best;
        I[o] = bi;
      }
    }
  }
  return [values.out, indices.out];
};
