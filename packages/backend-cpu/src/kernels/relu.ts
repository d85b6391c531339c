import type { KernelMap } from '@tensorgrad/tensor';
import { isContiguous, mapUnary, numbers, result } from '../util.js';

const reluOf = (v: number): number => (v > 0 || v !== v ? v : 0);

/** Element-wise `max(x, 0)`; NaN propagates (as in PyTorch). Contiguous inputs take an inlined loop. */
export const relu: KernelMap['relu'] = (x) => {
  if (!isContiguous(x)) return mapUnary(x, reluOf);
  const { out, data } = result(x.shape, x.dtype);
  const src = numbers(x);
  for (let i = 0, o = x.offset; i < data.length; i++, o++) {
    const v = src[o]!;
    data[i] = v > 0 || v !== v ? v : 0;
  }
  return out;
};
