import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise square root: sqrt(x < 0) = NaN. */
export const sqrt: Kernel<'sqrt', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.sqrt);
