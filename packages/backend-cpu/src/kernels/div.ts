import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const quotient = (x: number, y: number): number => x / y;

/** Element-wise true division of floating-point operands (IEEE: x/0 = ±Infinity, 0/0 = NaN). */
export const div: KernelMap['div'] = (a, b) => mapBinary(a, b, quotient);
