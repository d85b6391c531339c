import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { reduceWithIndex } from '../reduction.js';

export const argmin: Kernel<'argmin', WebGPUBackend> = (ctx, x, { dim }) => {
  const [values, indices] = reduceWithIndex(ctx.backend, x, dim, ctx.shape, 'min');
  ctx.backend.free(values.handle);
  return indices;
};
