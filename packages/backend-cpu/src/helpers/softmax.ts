/** The one implementation behind `softmax` and `logSoftmax`. */
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import { isContiguous, numbers, stridedOffsets, type CpuContext } from '../util.js';

type Num = { [i: number]: number; length: number };

// One lane (softmax dim) from `src` (start sb, stride ss) into `dst` (start db, stride ds).
// Subtracting the max keeps exp() finite; a max of NaN or of -Infinity (an all -Infinity lane)
// makes every x - max NaN, which is PyTorch's result too.
function lane(src: Num, sb: number, ss: number, dst: Num, db: number, ds: number, len: number, log: boolean): void {
  let m = -Infinity;
  for (let k = 0, o = sb; k < len; k++, o += ss) {
    const v = src[o]!;
    if (v > m || v !== v) m = v;
  }
  let s = 0;
  if (log) {
    for (let k = 0, o = sb; k < len; k++, o += ss) s += Math.exp(src[o]! - m);
    const ls = Math.log(s);
    for (let k = 0, o = sb, p = db; k < len; k++, o += ss, p += ds) dst[p] = src[o]! - m - ls;
  } else {
    for (let k = 0, o = sb, p = db; k < len; k++, o += ss, p += ds) {
      const e = Math.exp(src[o]! - m);
      s += e;
      dst[p] = e;
    }
    for (let k = 0, p = db; k < len; k++, p += ds) dst[p] = dst[p]! / s;
  }
}

/**
 * Softmax (or log-softmax) along `dim` into a contiguous result. Contiguous inputs take either
 * the row path (last dim) or a column-block path that keeps the inner loop on contiguous memory;
 * other strides are walked in place.
 */
export function softmaxAlong(ctx: CpuContext, x: KernelTensor, dim: number, log: boolean): KernelResult {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  if (data.length === 0) return out;
  const scalar = x.shape.length === 0;
  const shape = scalar ? [1] : x.shape;
  const strides = scalar ? [1] : x.strides;
  const d = scalar ? 0 : dim;
  const len = shape[d]!;
  let inner = 1;
  for (let i = d + 1; i < shape.length; i++) inner *= shape[i]!;
  const outer = data.length / (len * inner);
  const src = numbers(x);
  if (isContiguous(x) && inner === 1) {
    for (let r = 0, o = x.offset, p = 0; r < outer; r++, o += len, p += len) lane(src, o, 1, data, p, 1, len, log);
  } else if (isContiguous(x)) {
    const m = new Float64Array(inner);
    const s = new Float64Array(inner);
    const block = len * inner;
    for (let r = 0; r < outer; r++) {
      const base = x.offset + r * block;
      const ob = r * block;
      m.fill(-Infinity);
      s.fill(0);
      for (let k = 0; k < len; k++) {
        const row = base + k * inner;
        for (let j = 0; j < inner; j++) {
          const v = src[row + j]!;
          if (v > m[j]! || v !== v) m[j] = v;
        }
      }
      for (let k = 0; k < len; k++) {
        const row = base + k * inner;
        const orow = ob + k * inner;
        for (let j = 0; j < inner; j++) {
          const e = Math.exp(src[row + j]! - m[j]!);
          s[j] += e;
          if (!log) data[orow + j] = e;
        }
      }
      if (log) for (let j = 0; j < inner; j++) s[j] = Math.log(s[j]!);
      for (let k = 0; k < len; k++) {
        const row = base + k * inner;
        const orow = ob + k * inner;
        if (log) for (let j = 0; j < inner; j++) data[orow + j] = src[row + j]! - m[j]! - s[j]!;
        else for (let j = 0; j < inner; j++) data[orow + j] = data[orow + j]! / s[j]!;
      }
    }
  } else {
    const restShape = shape.filter((_, i) => i !== d);
    const restStrides = strides.filter((_, i) => i !== d);
    const bases = stridedOffsets({ handle: x.handle, dtype: x.dtype, offset: x.offset, shape: restShape, strides: restStrides });
    for (let i = 0; i < bases.length; i++) {
      const r = Math.floor(i / inner);
      const j = i - r * inner;
      lane(src, bases[i]!, strides[d]!, data, r * len * inner + j, inner, len, log);
    }
  }
  return out;
}
