import type { KernelMap } from '@tensorgrad/tensor';
import { result } from '../util.js';
import { contiguousData, type FloatArray } from './im2col.js';

/** The input range `[start, end)` of adaptive window `i` of `out` over `size` (PyTorch's floor/ceil rule). */
export function adaptiveRange(i: number, size: number, out: number): [number, number] {
  return [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];
}

/**
 * Adaptive average pooling: output `(i, j)` is the mean of rows `[⌊i·H/Ho⌋, ⌈(i+1)·H/Ho⌉)` and
 * the analogous columns.
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([[[[1, 5], [3, 4]]]]);
 * await wrapResult(b, b.kernels.adaptiveAvgPool2d!(kernelTensor(x), { outputSize: [1, 2] })).array(); // [[[[2, 4.5]]]]
 * ```
 */
export const adaptiveAvgPool2d: KernelMap['adaptiveAvgPool2d'] = (x, { outputSize }) => {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [oh, ow] = outputSize;
  const { out, data } = result([n, c, oh, ow], x.dtype);
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
