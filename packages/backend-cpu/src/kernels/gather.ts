import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { numbers, stridedOffsets } from '../util.js';

// out[..., j, ...] = x[..., index[..., j, ...], ...]: walk the index in row-major order and
// turn each output position into an input offset, replacing the coordinate along `dim`
export const gather: Kernel<'gather', CpuBackend> = (ctx, x, index, { dim }) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const n = data.length;
  if (n === 0) return out;
  const src = numbers(x);
  const idx = numbers(index);
  const idxOffs = stridedOffsets(index);
  const nd = index.shape.length;
  const outStrides = contiguousStrides(index.shape);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let off = x.offset;
    for (let d = 0; d < nd; d++) {
      const c = Math.floor(rem / outStrides[d]!);
      rem -= c * outStrides[d]!;
      off += (d === dim ? idx[idxOffs[i]!]! : c) * x.strides[d]!;
    }
    data[i] = src[off]!;
  }
  return out;
};
