import type { KernelMap } from '@tensorgrad/tensor';
import { reduceSum } from '../reduction.js';

// float32 sums accumulate in float32 per thread, then pairwise across the workgroup (like
// PyTorch's cascade summation); int32 and bool sum to int32 with wrapping adds
export const sum: KernelMap['sum'] = (x, { dim, keepdim }) => reduceSum(x, dim, keepdim);
