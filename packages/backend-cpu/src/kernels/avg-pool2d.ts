import { avgPoolWindow, type AvgPoolWindow, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

/**
 * Average pooling: the mean of each window, with PyTorch's clipping of windows that run past the
 * padding, `countIncludePad` and `divisorOverride`.
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([[[[1, 5], [3, 4]]]]);
 * const geometry = { n: 1, c: 1, h: 2, w: 2, oh: 1, ow: 1, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
 * const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: false, countIncludePad: true, divisorOverride: null } as const;
 * const y = backend.kernels.avgPool2d!({ backend, shape: [1, 1, 1, 1], dtype: 'float32', geometry }, kernelTensor(x), attrs);
 * await wrapResult(backend, y).array(); // [[[[3.25]]]]
 * ```
 */
export const avgPool2d: Kernel<'avgPool2d', CpuBackend> = (ctx, x, attrs) => {
  const g = ctx.geometry;
  const { n, c, h, w, oh, ow } = g;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const V = data as FloatArray;
  const X = contiguousData(x);
  const src = X.data;
  const wins: AvgPoolWindow[] = [];
  for (let y = 0; y < oh; y++) for (let x0 = 0; x0 < ow; x0++) wins.push(avgPoolWindow(g, attrs, y, x0));
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const base = X.offset + p * h * w;
    for (const win of wins) {
      let s = 0;
      if (win.divisor !== 0) {
        for (let ih = win.h0; ih < win.h1; ih++) {
          const row = base + ih * w;
          for (let iw = win.w0; iw < win.w1; iw++) s += src[row + iw]!;
        }
        s /= win.divisor;
      }
      V[o++] = s;
    }
  }
  return out;
};
