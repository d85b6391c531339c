import type { KernelMap } from '@tensorgrad/tensor';
import { mapBinary } from '../util.js';

const isLessOrEqual = (x: number, y: number): number => (x <= y ? 1 : 0);

/** Element-wise `x <= y` as a bool tensor (NaN compares false except with `ne`). */
export const le: KernelMap['le'] = (a, b) => mapBinary(a, b, isLessOrEqual, 'bool');
