import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

// copy x [P, R], then write (or add) row m of values at row index[m]; in index order, so with
// repeated rows and no accumulation the last one wins
export const indexPut: Kernel<'indexPut', CpuBackend> = (ctx, x, index, values, { accumulate }) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const xs = numbers(x);
  if (isContiguous(x)) {
    for (let i = 0; i < data.length; i++) data[i] = xs[x.offset + i]!;
  } else {
    const offs = stridedOffsets(x);
    for (let i = 0; i < data.length; i++) data[i] = xs[offs[i]!]!;
  }
  const r = x.shape[1]!;
  const m = index.shape[0]!;
  const idx = numbers(index);
  const vs = numbers(values);
  const bool = ctx.dtype === 'bool';
  for (let k = 0; k < m; k++) {
    const row = idx[index.offset + k * index.strides[0]!]! * r;
    let vo = values.offset + k * values.strides[0]!;
    const vStep = values.strides[1]!;
    for (let j = 0; j < r; j++, vo += vStep) {
      const v = vs[vo]!;
      if (!accumulate) data[row + j] = v;
      else data[row + j] = bool ? (data[row + j]! || v ? 1 : 0) : data[row + j]! + v;
    }
  }
  return out;
};
