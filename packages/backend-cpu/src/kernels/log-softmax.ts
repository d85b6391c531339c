import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { softmaxAlong } from '../helpers/softmax.js';

/** Log-softmax along `dim`: `x - max - log Σ exp(x - max)`. */
export const logSoftmax: Kernel<'logSoftmax', CpuBackend> = (ctx, x, { dim }) => softmaxAlong(ctx, x, dim, true);
