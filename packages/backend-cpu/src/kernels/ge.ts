import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapBinary } from '../util.js';

const isGreaterOrEqual = (x: number, y: number): number => (x >= y ? 1 : 0);

/** Element-wise `x >= y` as a bool tensor (NaN compares false except with `ne`). */
export const ge: Kernel<'ge', CpuBackend> = (ctx, a, b) => mapBinary(ctx, a, b, isGreaterOrEqual);
