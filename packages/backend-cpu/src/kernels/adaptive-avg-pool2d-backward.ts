import type { KernelMap } from '@tensorgrad/tensor';
import { result } from '../util.js';
import { adaptiveRange } from './adaptive-avg-pool2d.js';
import { contiguousData, type FloatArray } from './im2col.js';

/**
 * The adjoint of `adaptiveAvgPool2d`: each output gradient, divided by its window's size, is
 * added to every input position of the window.
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const g = tensor([[[[2, 4]]]]);
 * await wrapResult(b, b.kernels.adaptiveAvgPool2dBackward!(kernelTensor(g), { inputSize: [2, 2] })).array(); // [[[[1, 2], [1, 2]]]]
 * ```
 */
export const adaptiveAvgPool2dBackward: KernelMap['adaptiveAvgPool2dBackward'] = (g, { inputSize }) => {
  const [n, c, oh, ow] = g.shape as [number, number, number, number];
  const [h, w] = inputSize;
  const { out, data } = result([n, c, h, w], g.dtype);
  const D = data as FloatArray;
  const G = contiguousData(g);
  const src = G.data;
  let o = G.offset;
  for (let p = 0; p < n * c; p++) {
    const base = p * h * w;
    for (let y = 0; y < oh; y++) {
      const [h0, h1] = adaptiveRange(y, h, oh);
      for (let x0 = 0; x0 < ow; x0++) {
        const [w0, w1] = adaptiveRange(x0, w, ow);
        const s = src[o++]! / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) D[base + ih * w + iw] = D[base + ih * w + iw]! + s;
      }
    }
  }
  return out;
};
