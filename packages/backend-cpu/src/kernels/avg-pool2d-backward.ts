import { avgPoolWindow, type AvgPoolWindow, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

/**
 * The adjoint of `avgPool2d`: each output gradient, divided by its window's divisor, is added to
 * every input position of the window.
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const g = tensor([[[[4]]]]);
 * const geometry = { n: 1, c: 1, h: 2, w: 2, oh: 1, ow: 1, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
 * const attrs = { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: false, countIncludePad: true, divisorOverride: null, inputSize: [2, 2] } as const;
 * const dx = backend.kernels.avgPool2dBackward!({ backend, shape: [1, 1, 2, 2], dtype: 'float32', geometry }, kernelTensor(g), attrs);
 * await wrapResult(backend, dx).array(); // [[[[1, 1], [1, 1]]]]
 * ```
 */
export const avgPool2dBackward: Kernel<'avgPool2dBackward', CpuBackend> = (ctx, g, attrs) => {
  const geo = ctx.geometry;
  const { n, c, h, w, oh, ow } = geo;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const D = data as FloatArray;
  const G = contiguousData(g);
  const src = G.data;
  const wins: AvgPoolWindow[] = [];
  for (let y = 0; y < oh; y++) for (let x0 = 0; x0 < ow; x0++) wins.push(avgPoolWindow(geo, attrs, y, x0));
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
