import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise sine (radians). */
export const sin: KernelMap['sin'] = (x) => mapUnary(x, Math.sin);
