import type { KernelMap } from '@tensorgrad/tensor';
import { result } from '../util.js';
import { avgWindow, type AvgWindow } from './avg-pool2d.js';
import { contiguousData, type FloatArray } from './im2col.js';

/**
 * The adjoint of `avgPool2d`: each output gradient, divided by its window's divisor, is added to
 * every input position of the window.
 *
 * @example
 * ```ts
 * import { getBackend, kernelTensor, wrapResult, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const g = tensor([[[[4]]]]);
 * const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: false, countIncludePad: true, divisorOverride: null, inputSize: [2, 2] } as const;
 * await wrapResult(b, b.kernels.avgPool2dBackward!(kernelTensor(g), attrs)).array(); // [[[[1, 1], [1, 1]]]]
 * ```
 */
export const avgPool2dBackward: KernelMap['avgPool2dBackward'] = (g, { kernelSize, stride, padding, countIncludePad, divisorOverride, inputSize }) => {
  const [n, c, oh, ow] = g.shape as [number, number, number, number];
  const [h, w] = inputSize;
  const [kh, kw] = kernelSize;
  const [sh, sw] = stride;
  const [ph, pw] = padding;
  const { out, data } = result([n, c, h, w], g.dtype);
  const D = data as FloatArray;
  const G = contiguousData(g);
  const src = G.data;
  const wins: AvgWindow[] = [];
  for (let y = 0; y < oh; y++) for (let x0 = 0; x0 < ow; x0++) wins.push(avgWindow(y, x0, h, w, kh, kw, sh, sw, ph, pw, countIncludePad, divisorOverride));
  let o = G.offset;
  for (let p = 0; p < n * c; p++) {
    const base = p * h * w;
    for (const win of wins) {
      const v = src[o++]!;
      if (win.divisor === 0) continue;
      const s = v / win.divisor;
      for (let ih = win.h0; ih < win.h1; ih++) {
        const row = base + ih * w;
        for (let iw = win.w0; iw < win.w1; iw++) D[row + iw] = D[row + iw]! + s;
      }
    }
  }
  return out;
};
