import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise cosine (radians). */
export const cos: KernelMap['cos'] = (x) => mapUnary(x, Math.cos);
