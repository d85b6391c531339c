import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise `x > 0 ? x : negativeSlope * x`. */
export const leakyRelu: Kernel<'leakyRelu', CpuBackend> = (ctx, x, { negativeSlope }) => mapUnary(ctx, x, (v) => (v > 0 ? v : v * negativeSlope));
