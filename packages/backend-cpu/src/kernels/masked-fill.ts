import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

/** Copy of `x` with `value` where `mask` (bool, already broadcast to `x`'s shape) is true. */
export const maskedFill: Kernel<'maskedFill', CpuBackend> = (ctx, x, mask, { value }) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  // a bool store would keep only the low byte of a number, so map it to 0/1 explicitly
  const v = x.dtype === 'bool' ? (value !== 0 ? 1 : 0) : value;
  const sx = numbers(x);
  const sm = numbers(mask);
  const n = data.length;
  if (isContiguous(x) && isContiguous(mask)) {
    const ox = x.offset;
    const om = mask.offset;
    for (let i = 0; i < n; i++) data[i] = sm[om + i] ? v : sx[ox + i]!;
    return out;
  }
  const offX = stridedOffsets(x);
  const offM = stridedOffsets(mask);
  for (let i = 0; i < n; i++) data[i] = sm[offM[i]!] ? v : sx[offX[i]!]!;
  return out;
};
