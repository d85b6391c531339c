import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { lanesOf } from '../helpers/reduce.js';

// A running sum per lane along `dim`, accumulated in double precision as PyTorch's CPU kernel
// does for float32 (its accumulate type), rounded to the output dtype at each step's store;
// int32 wraps like PyTorch's integer arithmetic. The output is contiguous (see the sort kernel).
export const cumsum: Kernel<'cumsum', CpuBackend> = (ctx, x, { dim }) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const nd = x.shape.length;
  const lanes = lanesOf(ctx.backend, x, nd === 0 ? null : dim);
  const { src, bases, len, stride } = lanes;
  let inner = 1;
  for (let d = dim + 1; d < nd; d++) inner *= x.shape[d]!;
  const wrap = ctx.dtype === 'int32';
  for (let l = 0; l < bases.length; l++) {
    let acc = 0;
    const base = Math.floor(l / inner) * len * inner + (l % inner);
    for (let k = 0, i = bases[l]!, o = base; k < len; k++, i += stride, o += inner) {
      acc = wrap ? (acc + src[i]!) | 0 : acc + src[i]!;
      data[o] = acc;
    }
  }
  lanes.release();
  return out;
};
