import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise square root: sqrt(x < 0) = NaN. */
export const sqrt: KernelMap['sqrt'] = (x) => mapUnary(x, Math.sqrt);
