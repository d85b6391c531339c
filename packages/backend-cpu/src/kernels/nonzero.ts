import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

// walk x in row-major order and write the coordinates of each non-zero element (NaN != 0 is true,
// -0 != 0 is false) until `size` rows are written; the rest keep `fillValue`
export const nonzero: Kernel<'nonzero', CpuBackend> = (ctx, x, { size, fillValue }) => {
  const { out, data } = ctx.backend.result(ctx.shape, 'int32', true);
  const nd = x.shape.length;
  const n = x.shape.reduce((a, b) => a * b, 1);
  const xs = numbers(x);
  const offs = isContiguous(x) ? null : stridedOffsets(x);
  const coord = new Array<number>(nd).fill(0);
  let row = 0;
  for (let i = 0; i < n && row < size; i++) {
    const v = xs[offs ? offs[i]! : x.offset + i]!;
    if (v !== 0) {
      for (let d = 0; d < nd; d++) data[row * nd + d] = coord[d]!;
      row++;
    }
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d]! < x.shape[d]!) break;
      coord[d] = 0;
    }
  }
  data.fill(fillValue, row * nd);
  return out;
};
