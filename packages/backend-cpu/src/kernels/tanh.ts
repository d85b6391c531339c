import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise hyperbolic tangent (saturates to ±1 without overflow). */
export const tanh: Kernel<'tanh', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.tanh);
