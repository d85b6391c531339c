import type { KernelMap } from '@tensorgrad/tensor';
import { reduce } from './reduce.js';

// float32 sums accumulate in float64 (JS numbers) and round once, which is at least as accurate
// as PyTorch's pairwise float32 summation.
export const sum: KernelMap['sum'] = (x, { dim, keepdim }) =>
  reduce(x, dim, keepdim, x.dtype === 'bool' ? 'int32' : x.dtype, (src, base, len, stride) => {
    let s = 0;
    for (let i = 0, o = base; i < len; i++, o += stride) s += src[o]!;
    return s;
  });
