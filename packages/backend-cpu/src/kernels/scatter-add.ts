import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isContiguous, numbers, stridedOffsets } from '../util.js';

// copy x, then add each src element (over the index's extent) at its indexed position
export const scatterAdd: Kernel<'scatterAdd', CpuBackend> = (ctx, x, index, src, { dim }) => {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const xs = numbers(x);
  if (isContiguous(x)) {
    for (let i = 0; i < data.length; i++) data[i] = xs[x.offset + i]!;
  } else {
    const offs = stridedOffsets(x);
    for (let i = 0; i < data.length; i++) data[i] = xs[offs[i]!]!;
  }
  const idx = numbers(index);
  const s = numbers(src);
  const n = index.shape.reduce((a, b) => a * b, 1);
  if (n === 0) return out;
  const nd = index.shape.length;
  const outStrides = contiguousStrides(x.shape);
  const bool = x.dtype === 'bool';
  if (nd === 0) {
    const o = idx[index.offset]! * (outStrides[0] ?? 1);
    data[o] = bool ? (data[o]! || s[src.offset]! ? 1 : 0) : data[o]! + s[src.offset]!;
    return out;
  }
  // an odometer over the index's leading dims; the last dim is the inner loop. `ob` is the output
  // offset without the scattered dim's term, which comes from the index value.
  const last = nd - 1;
  const len = index.shape[last]!;
  const iStep = index.strides[last]!;
  const sStep = src.strides[last]!;
  const oStep = dim === last ? 0 : outStrides[last]!;
  const dStride = outStrides[dim]!;
  const count = new Array<number>(nd).fill(0);
  let io = index.offset;
  let so = src.offset;
  let ob = 0;
  for (;;) {
    for (let j = 0, ii = io, ss = so, oo = ob; j < len; j++, ii += iStep, ss += sStep, oo += oStep) {
      const o = oo + idx[ii]! * dStride;
      data[o] = bool ? (data[o]! || s[ss]! ? 1 : 0) : data[o]! + s[ss]!;
    }
    let d = last - 1;
    for (; d >= 0; d--) {
      count[d]!++;
      io += index.strides[d]!;
      so += src.strides[d]!;
      if (d !== dim) ob += outStrides[d]!;
      if (count[d]! < index.shape[d]!) break;
      io -= index.strides[d]! * index.shape[d]!;
      so -= src.strides[d]! * index.shape[d]!;
      if (d !== dim) ob -= outStrides[d]! * index.shape[d]!;
      count[d] = 0;
    }
    if (d < 0) break;
  }
  return out;
};
