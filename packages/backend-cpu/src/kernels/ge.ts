import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const isGreaterOrEqual = (x: number, y: number): number => (x >= y ? 1 : 0);

/** Element-wise `x >= y` as a bool tensor (NaN compares false except with `ne`). */
export const ge: KernelMap['ge'] = (a, b) => mapBinary(a, b, isGreaterOrEqual, 'bool');
