import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

/**
 * Max pooling: every output is the maximum of its (dilated) window, with its position in the
 * `H·W` plane as int32 index (padding never wins; NaN propagates; the first maximum wins ties).
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([[[[1, 5], [3, 4]]]]);
 * const geometry = { n: 1, c: 1, h: 2, w: 2, oh: 1, ow: 1, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
 * const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false } as const;
 * const [v, i] = backend.kernels.maxPool2d!({ backend, shape: [1, 1, 1, 1], dtype: 'float32', geometry }, kernelTensor(x), attrs);
 * await wrapResult(backend, v).array(); // [[[[5]]]]
 * await wrapResult(backend, i).array(); // [[[[1]]]]
 * ```
 */
export const maxPool2d: Kernel<'maxPool2d', CpuBackend> = (ctx, x) => {
  const { n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw } = ctx.geometry;
  const values = ctx.backend.result(ctx.shape, ctx.dtype);
  const indices = ctx.backend.result(ctx.shape, 'int32');
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
