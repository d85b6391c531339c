import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise cosine (radians). */
export const cos: Kernel<'cos', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.cos);
