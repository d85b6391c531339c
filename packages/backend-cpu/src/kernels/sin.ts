import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise sine (radians). */
export const sin: Kernel<'sin', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.sin);
