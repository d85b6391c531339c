import type { KernelMap } from '@tensorgrad/tensor';
import { isContiguous, numbers, result, stridedOffsets } from '../util.js';

/** Element-wise `cond ? x : y`; all three already have the output shape (broadcast through strides). */
export const where: KernelMap['where'] = (cond, x, y) => {
  const { out, data } = result(x.shape, x.dtype);
  const sc = numbers(cond);
  const sx = numbers(x);
  const sy = numbers(y);
  const n = data.length;
  if (isContiguous(cond) && isContiguous(x) && isContiguous(y)) {
    const oc = cond.offset;
    const ox = x.offset;
    const oy = y.offset;
    for (let i = 0; i < n; i++) data[i] = sc[oc + i] ? sx[ox + i]! : sy[oy + i]!;
    return out;
  }
  const offC = stridedOffsets(cond);
  const offX = stridedOffsets(x);
  const offY = stridedOffsets(y);
  for (let i = 0; i < n; i++) data[i] = sc[offC[i]!] ? sx[offX[i]!]! : sy[offY[i]!]!;
  return out;
};
