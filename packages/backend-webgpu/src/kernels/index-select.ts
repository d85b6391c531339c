import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { selectAlong } from '../select-along.js';

/**
 * `out[o, k, i] = x[o, index[k], i]` (`o` the dims before `dim`, `i` those after): one thread per
 * output element; `x` (its `dim` term left out) and the 1-d index are read through their strides.
 */
export const indexSelect: Kernel<'indexSelect', WebGPUBackend> = (ctx, x, index, { dim }) => {
  const indexStride = index.shape.length === 0 ? 0 : index.strides[0]!;
  const indexView = { strides: ctx.shape.map((_, d) => (d === dim ? indexStride : 0)), offset: index.offset };
  return selectAlong(ctx.backend, 'indexSelect', x, index, indexView, dim, ctx.shape);
};
