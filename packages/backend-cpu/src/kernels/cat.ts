import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

// each input fills a block of `size(dim) * inner` elements in every one of the `outer` rows
export const cat: Kernel<'cat', CpuBackend> = (ctx, xs, { dim }) => {
  const shape = ctx.shape;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const outer = shapeSize(shape.slice(0, dim));
  const inner = shapeSize(shape.slice(dim + 1));
  const rowLen = shape[dim]! * inner;
  let base = 0;
  for (const x of xs) {
    const block = x.shape[dim]! * inner;
    if (block === 0) continue;
    const src = numbers(x);
    if (isContiguous(x)) {
      for (let o = 0; o < outer; o++) {
        const from = x.offset + o * block;
        const to = o * rowLen + base;
        for (let j = 0; j < block; j++) data[to + j] = src[from + j]!;
      }
    } else {
      const offs = stridedOffsets(x);
      for (let o = 0; o < outer; o++) {
        const to = o * rowLen + base;
        for (let j = 0; j < block; j++) data[to + j] = src[offs[o * block + j]!]!;
      }
    }
    base += block;
  }
  return out;
};
