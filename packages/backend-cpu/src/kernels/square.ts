import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

const squareInt = (v: number): number => Math.imul(v, v);
const squareOf = (v: number): number => v * v;

/** Element-wise `x * x` (int32 wraps through `Math.imul`, since the double product may exceed 2^53). */
export const square: KernelMap['square'] = (x) =>
  x.dtype === 'int32' ? mapUnary(x, squareInt) : mapUnary(x, squareOf);
