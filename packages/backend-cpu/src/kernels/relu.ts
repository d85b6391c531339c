import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, mapUnary, numbers } from '../util.js';

const reluOf = (v: number): number => (v > 0 || v !== v ? v : 0);

/** Element-wise `max(x, 0)`; NaN propagates (as in PyTorch). Contiguous inputs take an inlined loop. */
export const relu: Kernel<'relu', CpuBackend> = (ctx, x) => {
  if (!isContiguous(x)) return mapUnary(ctx, x, reluOf);
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const src = numbers(x);
  for (let i = 0, o = x.offset; i < data.length; i++, o++) {
    const v = src[o]!;
    data[i] = v > 0 || v !== v ? v : 0;
  }
  return out;
};
