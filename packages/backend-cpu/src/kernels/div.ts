import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapBinary } from '../util.js';

const quotient = (x: number, y: number): number => x / y;

/** Element-wise true division of floating-point operands (IEEE: x/0 = ±Infinity, 0/0 = NaN). */
export const div: Kernel<'div', CpuBackend> = (ctx, a, b) => mapBinary(ctx, a, b, quotient);
