import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

// PyTorch's conversions: float -> int truncates toward zero, anything -> bool is `!= 0`
// (NaN is true), bool -> number is 0/1. Typed-array stores already round to float32.
export const to: Kernel<'to', CpuBackend> = (ctx, x) => {
  const dtype = ctx.dtype;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const src = numbers(x);
  const n = data.length;
  const conv: (v: number) => number =
    dtype === 'bool' ? (v) => (v !== 0 ? 1 : 0) : dtype === 'int32' ? (v) => Math.trunc(v) | 0 : (v) => v;
  if (isContiguous(x)) {
    const o = x.offset;
    for (let i = 0; i < n; i++) data[i] = conv(src[o + i]!);
  } else {
    const offs = stridedOffsets(x);
    for (let i = 0; i < n; i++) data[i] = conv(src[offs[i]!]!);
  }
  return out;
};
