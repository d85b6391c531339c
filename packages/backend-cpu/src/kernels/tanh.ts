import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise hyperbolic tangent (saturates to ±1 without overflow). */
export const tanh: KernelMap['tanh'] = (x) => mapUnary(x, Math.tanh);
