import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { adaptiveRange } from '../helpers/adaptive-pool.js';
import { contiguousData, type FloatArray } from '../helpers/im2col.js';

/**
 * The adjoint of `adaptiveAvgPool2d`: each output gradient, divided by its window's size, is
 * added to every input position of the window.
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const g = tensor([[[[2, 4]]]]);
 * const ctx = { backend, shape: [1, 1, 2, 2], dtype: 'float32' } as const;
 * const dx = backend.kernels.adaptiveAvgPool2dBackward!(ctx, kernelTensor(g), { inputSize: [2, 2] });
 * await wrapResult(backend, dx).array(); // [[[[1, 2], [1, 2]]]]
 * ```
 */
export const adaptiveAvgPool2dBackward: Kernel<'adaptiveAvgPool2dBackward', CpuBackend> = (ctx, g) => {
  const [n, c, oh, ow] = g.shape as [number, number, number, number];
  const [, , h, w] = ctx.shape as [number, number, number, number];
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
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
