import type { KernelMap } from '@tensorgrad/tensor';
import { reduceWithIndex } from './reduce.js';

// strict `<` keeps the first occurrence on ties, as PyTorch does
export const min: KernelMap['min'] = (x, { dim, keepdim }) => reduceWithIndex(x, dim, keepdim, (v, best) => v < best);
