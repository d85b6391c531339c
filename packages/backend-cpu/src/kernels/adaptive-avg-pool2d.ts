import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { adaptiveRange } from '../helpers/adaptive-pool.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

/**
 * Adaptive average pooling: output `(i, j)` is the mean of rows `[⌊i·H/Ho⌋, ⌈(i+1)·H/Ho⌉)` and
 * the analogous columns.
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([[[[1, 5], [3, 4]]]]);
 * const ctx = { backend, shape: [1, 1, 1, 2], dtype: 'float32' } as const;
 * const y = backend.kernels.adaptiveAvgPool2d!(ctx, kernelTensor(x), { outputSize: [1, 2] });
 * await wrapResult(backend, y).array(); // [[[[2, 4.5]]]]
 * ```
 */
export const adaptiveAvgPool2d: Kernel<'adaptiveAvgPool2d', CpuBackend> = (ctx, x) => {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [, , oh, ow] = ctx.shape as [number, number, number, number];
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const V = data as FloatArray;
  const X = contiguousData(x);
  const src = X.data;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = X.offset + p * h * w;
    for (let y = 0; y < oh; y++) {
      const [h0, h1] = adaptiveRange(y, h, oh);
      for (let x0 = 0; x0 < ow; x0++) {
        const [w0, w1] = adaptiveRange(x0, w, ow);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s += src[base + ih * w + iw]!;
        V[o++] = s / ((h1 - h0) * (w1 - w0));
      }
    }
  }
  return out;
};
