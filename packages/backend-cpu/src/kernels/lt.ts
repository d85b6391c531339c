import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const isLess = (x: number, y: number): number => (x < y ? 1 : 0);

/** Element-wise `x < y` as a bool tensor (NaN compares false except with `ne`). */
export const lt: KernelMap['lt'] = (a, b) => mapBinary(a, b, isLess, 'bool');
