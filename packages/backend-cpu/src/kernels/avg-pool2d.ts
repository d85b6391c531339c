import { poolOutSize, type KernelMap } from '@tensorgrad/tensor';
import { result } from '../util.js';
import { contiguousData, type FloatArray } from './im2col.js';

/** One average-pooling window: the clipped input range and the divisor (PyTorch's CPU rules). */
export interface AvgWindow {
  h0: number;
  h1: number;
  w0: number;
  w1: number;
  /** 0 when the window lies entirely in the padding (the output is 0). */
  divisor: number;
}

/** The window of output `(y, x)`; `sizes` are `[h, w, kh, kw, sh, sw, ph, pw]`. */
export function avgWindow(
  y: number, x: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number,
  countIncludePad: boolean, divisorOverride: number | null,
): AvgWindow {
  let h0 = y * sh - ph;
  let w0 = x * sw - pw;
  let h1 = Math.min(h0 + kh, h + ph);
  let w1 = Math.min(w0 + kw, w + pw);
  const poolSize = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, h);
  w1 = Math.min(w1, w);
  if (h0 >= h1 || w0 >= w1) return { h0, h1, w0, w1, divisor: 0 };
  const divisor = divisorOverride ?? (countIncludePad ? poolSize : (h1 - h0) * (w1 - w0));
  return { h0, h1, w0, w1, divisor };
}

/**
 * Average pooling: the mean of each window, with PyTorch's clipping of windows that run past the
 * padding, `countIncludePad` and `divisorOverride`.
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([[[[1, 5], [3, 4]]]]);
 * const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: false, countIncludePad: true, divisorOverride: null } as const;
 * await wrapResult(b, b.kernels.avgPool2d!(kernelTensor(x), attrs)).array(); // [[[[3.25]]]]
 * ```
 */
export const avgPool2d: KernelMap['avgPool2d'] = (x, { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride }) => {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [kh, kw] = kernelSize;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const oh = poolOutSize(h, kh, sh, ph, 1, ceilMode);
  const ow = poolOutSize(w, kw, sw, pw, 1, ceilMode);
  const { out, data } = result([n, c, oh, ow], x.dtype);
  const V = data as FloatArray;
  const X = contiguousData(x);
  const src = X.data;
  const wins: AvgWindow[] = [];
  for (let y = 0; y < oh; y++) for (let x0 = 0; x0 < ow; x0++) wins.push(avgWindow(y, x0, h, w, kh, kw, sh, sw, ph, pw, countIncludePad, divisorOverride));
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
