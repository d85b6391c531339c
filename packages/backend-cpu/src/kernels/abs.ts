import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise `|x|` (int32: |-2^31| wraps to -2^31, as in PyTorch). */
export const abs: KernelMap['abs'] = (x) => mapUnary(x, Math.abs);
