import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { reduceWithIndex } from '../reduction.js';

// first occurrence wins ties; NaN propagates (the first NaN's index)
export const max: Kernel<'max', WebGPUBackend> = (ctx, x, { dim }) => reduceWithIndex(ctx.backend, x, dim, ctx.shape, 'max');
