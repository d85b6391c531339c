import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { selectAlong } from '../select-along.js';

/**
 * `out[…, j, …] = x[…, index[…, j, …], …]` along `dim`: one thread per output (= index) element;
 * the index and `x` (its `dim` term left out, added from the index value) are read through their
 * strides.
 */
export const gather: Kernel<'gather', WebGPUBackend> = (ctx, x, index, { dim }) => selectAlong(ctx.backend, 'gather', x, index, index, dim, ctx.shape);
