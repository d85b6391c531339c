import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { softmaxAlong } from '../softmax-along.js';

/** Log-softmax along `dim`: `x − max − log Σ exp(x − max)` per lane. */
export const logSoftmax: Kernel<'logSoftmax', WebGPUBackend> = (ctx, x, { dim }) => softmaxAlong(ctx.backend, x, dim, true);
