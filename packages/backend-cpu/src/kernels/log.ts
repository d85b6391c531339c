import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise natural logarithm: log(0) = -Infinity, log(x < 0) = NaN. */
export const log: Kernel<'log', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.log);
