import type { KernelMap } from '@tensorgrad/tensor';
import { reduceWithIndex } from '../reduction.js';

// first occurrence wins ties; NaN propagates (the first NaN's index)
export const max: KernelMap['max'] = (x, { dim, keepdim }) => reduceWithIndex(x, dim, keepdim, 'max');
