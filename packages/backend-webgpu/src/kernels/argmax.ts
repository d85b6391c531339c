import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { reduceWithIndex } from '../reduction.js';

export const argmax: Kernel<'argmax', WebGPUBackend> = (ctx, x, { dim }) => {
  const [values, indices] = reduceWithIndex(ctx.backend, x, dim, ctx.shape, 'max');
  ctx.backend.free(values.handle);
  return indices;
};
