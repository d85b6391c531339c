import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { softmaxAlong } from '../helpers/softmax.js';

/** Softmax along `dim`: `exp(x - max) / Σ exp(x - max)` (NaN and all -Infinity lanes give NaN, as in PyTorch). */
export const softmax: Kernel<'softmax', CpuBackend> = (ctx, x, { dim }) => softmaxAlong(ctx, x, dim, false);
