import type { KernelMap } from '@tensorgrad/tensor';
import { mapUnary } from '../util.js';

/** Element-wise `max(x, 0)`; NaN propagates (as in PyTorch). */
export const relu: KernelMap['relu'] = (x) => mapUnary(x, (v) => (v > 0 || Number.isNaN(v) ? v : 0));
