import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, isScalarLike, numbers, stridedOffsets } from '../util.js';

/** Element-wise `cond ? x : y`; all three already have the output shape (broadcast through strides). */
export const where: Kernel<'where', CpuBackend> = (ctx, cond, x, y) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const sc = numbers(cond);
  const sx = numbers(x);
  const sy = numbers(y);
  const n = data.length;
  // contiguous operands step by 1, broadcast scalars (relu's backward: where(y > 0, g, 0)) by 0
  const step = (t: typeof x): number => (isContiguous(t) ? 1 : isScalarLike(t) ? 0 : -1);
  const kc = step(cond);
  const kx = step(x);
  const ky = step(y);
  if (kc >= 0 && kx >= 0 && ky >= 0) {
    for (let i = 0, oc = cond.offset, ox = x.offset, oy = y.offset; i < n; i++, oc += kc, ox += kx, oy += ky) data[i] = sc[oc] ? sx[ox]! : sy[oy]!;
    return out;
  }
  const offC = stridedOffsets(cond);
  const offX = stridedOffsets(x);
  const offY = stridedOffsets(y);
  for (let i = 0; i < n; i++) data[i] = sc[offC[i]!] ? sx[offX[i]!]! : sy[offY[i]!]!;
  return out;
};
