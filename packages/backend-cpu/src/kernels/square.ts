import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise `x * x` (int32 wraps through `Math.imul`, since the double product may exceed 2^53). */
export const square: KernelMap['square'] = (x) =>
  x.dtype === 'int32' ? mapUnary(x, (v) => Math.imul(v, v)) : mapUnary(x, (v) => v * v);
