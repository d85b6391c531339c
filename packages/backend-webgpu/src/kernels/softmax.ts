import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { softmaxAlong } from '../softmax-along.js';

/** Softmax along `dim` (numerically stable: the lane's maximum is subtracted before exp). */
export const softmax: Kernel<'softmax', WebGPUBackend> = (ctx, x, { dim }) => softmaxAlong(ctx.backend, x, dim, false);
