import type { Kernel, KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, type CpuContext } from '../util.js';
import { reduce } from '../helpers/reduce.js';

// float32 sums accumulate in float64 (JS numbers) and round once, which is at least as accurate
// as PyTorch's pairwise float32 summation.
export const sum: Kernel<'sum', CpuBackend> = (ctx, x, { dim }) => {
  const nd = x.shape.length;
  // reduced dims that are not all trailing (a conv bias gradient sums [N, C, H, W] over 0, 2, 3):
  // add a contiguous input into the outputs in memory order instead of gathering each lane
  const trailing = dim.every((d, i) => d === nd - dim.length + i);
  if (!trailing && isContiguous(x)) return sumInMemoryOrder(ctx, x, dim);
  return reduce(ctx, x, dim, (src, base, len, stride) => {
    let s = 0;
    for (let i = 0, o = base; i < len; i++, o += stride) s += src[o]!;
    return s;
  });
};

function sumInMemoryOrder(ctx: CpuContext, x: KernelTensor, dims: readonly number[]): KernelResult {
  const nd = x.shape.length;
  // the output stride of each input dim (0 for a reduced one)
  const ostride = new Array<number>(nd).fill(0);
  let size = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (!dims.includes(d)) {
      ostride[d] = size;
      size *= x.shape[d]!;
    }
  }
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const total = x.shape.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  const acc = new Float64Array(size);
  const src = numbers(x);
  const last = nd - 1;
  const len = x.shape[last]!;
  const lastReduced = ostride[last] === 0;
  const count = new Array<number>(nd).fill(0);
  let i = x.offset;
  let ob = 0;
  for (;;) {
    if (lastReduced) {
      let s = 0;
      for (let j = 0; j < len; j++) s += src[i + j]!;
      acc[ob] += s;
    } else {
      for (let j = 0; j < len; j++) acc[ob + j] += src[i + j]!;
    }
    i += len;
    let d = last - 1;
    for (; d >= 0; d--) {
      count[d]!++;
      ob += ostride[d]!;
      if (count[d]! < x.shape[d]!) break;
      ob -= ostride[d]! * x.shape[d]!;
      count[d] = 0;
    }
    if (d < 0) break;
  }
  for (let k = 0; k < size; k++) data[k] = acc[k]!;
  return out;
}
