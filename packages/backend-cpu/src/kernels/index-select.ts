import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { numbers, stridedOffsets } from '../util.js';

// out[o, k, i] = x[o, index[k], i] with `o` the dims before `dim` and `i` those after
export const indexSelect: Kernel<'indexSelect', CpuBackend> = (ctx, x, index, { dim }) => {
  const k = ctx.shape[dim]!;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  if (data.length === 0) return out;
  const src = numbers(x);
  const idx = numbers(index);
  const idxOffs = stridedOffsets(index);
  const before = x.shape.slice(0, dim);
  const after = x.shape.slice(dim + 1);
  // storage offsets of the leading and trailing sub-blocks (strided inputs are fine)
  const lead = stridedOffsets({ ...x, shape: before, strides: x.strides.slice(0, dim), offset: 0 });
  const trail = stridedOffsets({ ...x, shape: after, strides: x.strides.slice(dim + 1), offset: 0 });
  const sd = x.strides[dim]!;
  let w = 0;
  for (let o = 0; o < lead.length; o++) {
    for (let j = 0; j < k; j++) {
      const base = x.offset + lead[o]! + idx[idxOffs[j]!]! * sd;
      for (let i = 0; i < trail.length; i++) data[w++] = src[base + trail[i]!]!;
    }
  }
  return out;
};
