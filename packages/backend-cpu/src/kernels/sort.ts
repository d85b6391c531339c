import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { lanesOf } from '../helpers/reduce.js';

// Each lane along `dim` is copied out and its positions sorted with a comparison that puts NaN
// above every number and breaks ties by position, so the result is stable whatever the engine's
// sort does. The output is contiguous: lane i (row-major over the other dims) starts at
// outer·len·inner + in and steps by inner.
export const sort: Kernel<'sort', CpuBackend> = (ctx, x, { dim, descending }) => {
  const values = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const indices = ctx.backend.result(ctx.shape, 'int32', true);
  const nd = x.shape.length;
  const lanes = lanesOf(ctx.backend, x, nd === 0 ? null : dim);
  const { src, bases, len, stride } = lanes;
  let inner = 1;
  for (let d = dim + 1; d < nd; d++) inner *= x.shape[d]!;
  const v = new Float64Array(len);
  const order = new Array<number>(len);
  const sign = descending ? -1 : 1;
  const cmp = (i: number, j: number): number => {
    const a = v[i]!;
    const b = v[j]!;
    if (a < b) return -sign;
    if (a > b) return sign;
    const na = a !== a;
    if (na !== (b !== b)) return na ? sign : -sign;
    return i - j;
  };
  const vd = values.data;
  const id = indices.data;
  for (let l = 0; l < bases.length; l++) {
    for (let k = 0, o = bases[l]!; k < len; k++, o += stride) {
      v[k] = src[o]!;
      order[k] = k;
    }
    order.sort(cmp);
    const base = Math.floor(l / inner) * len * inner + (l % inner);
    for (let k = 0, o = base; k < len; k++, o += inner) {
      const p = order[k]!;
      vd[o] = v[p]!;
      id[o] = p;
    }
  }
  lanes.release();
  return [values.out, indices.out];
};
