/** Helpers shared by the CPU kernels: result allocation and strided iteration. */
import { allocArray, shapeSize, type DType, type KernelResult, type KernelTensor, type Shape, type TypedArray } from '@tensorgrad/tensor';
import type { CpuBuffer } from './backend.js';

/** The typed array behind a kernel tensor. */
export function arr(t: KernelTensor): TypedArray {
  return (t.handle as CpuBuffer).array;
}

/** The typed array behind a kernel tensor, as a generic indexable array of numbers. */
export function numbers(t: KernelTensor): { [i: number]: number; length: number } {
  return (t.handle as CpuBuffer).array;
}

/** Buffers and bytes allocated by every CPU backend instance (kernels allocate results directly). */
export const cpuStats = { buffers: 0, bytes: 0 };

/** Allocates a zero-filled, counted CPU buffer. */
export function allocBuffer(dtype: DType, size: number): CpuBuffer {
  const array = allocArray(dtype, size);
  cpuStats.buffers++;
  cpuStats.bytes += array.byteLength;
  return { array, dtype };
}

/** Releases a buffer's accounting. */
export function freeBuffer(buf: CpuBuffer): void {
  cpuStats.buffers--;
  cpuStats.bytes -= buf.array.byteLength;
}

/** Allocates a contiguous result of `shape`/`dtype`; returns it with its array for writing. */
export function result(shape: Shape, dtype: DType): { out: KernelResult; data: TypedArray } {
  const buf = allocBuffer(dtype, shapeSize(shape));
  return { out: { handle: buf, shape, dtype }, data: buf.array };
}

/** Whether `t` is contiguous row-major (offset allowed). */
export function isContiguous(t: KernelTensor): boolean {
  let expected = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    const d = t.shape[i]!;
    if (d === 1) continue;
    if (t.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Storage offsets of every element of `t` in row-major order (for strided inputs). For
 * contiguous tensors use `t.offset + i` directly instead.
 */
export function stridedOffsets(t: KernelTensor): Int32Array {
  const n = shapeSize(t.shape);
  const out = new Int32Array(n);
  const nd = t.shape.length;
  if (n === 0) return out;
  if (nd === 0) {
    out[0] = t.offset;
    return out;
  }
  const shape = t.shape;
  const strides = t.strides;
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const lastLen = shape[last]!;
  const lastStride = strides[last]!;
  let base = t.offset;
  let k = 0;
  for (;;) {
    for (let j = 0, off = base; j < lastLen; j++, off += lastStride) out[k++] = off;
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return out;
}

/** Applies `fn` element-wise, writing a contiguous result of dtype `outDtype` (default: input's). */
export function mapUnary(x: KernelTensor, fn: (v: number) => number, outDtype: DType = x.dtype): KernelResult {
  const { out, data } = result(x.shape, outDtype);
  const src = numbers(x);
  const n = data.length;
  if (isContiguous(x)) {
    const o = x.offset;
    for (let i = 0; i < n; i++) data[i] = fn(src[o + i]!);
  } else {
    const offs = stridedOffsets(x);
    for (let i = 0; i < n; i++) data[i] = fn(src[offs[i]!]!);
  }
  return out;
}

/** Applies `fn` element-wise to two same-shape (broadcast through strides) operands. */
export function mapBinary(
  a: KernelTensor,
  b: KernelTensor,
  fn: (x: number, y: number) => number,
  outDtype: DType = a.dtype,
): KernelResult {
  const { out, data } = result(a.shape, outDtype);
  const sa = numbers(a);
  const sb = numbers(b);
  const n = data.length;
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  if (ca && cb) {
    const oa = a.offset;
    const ob = b.offset;
    for (let i = 0; i < n; i++) data[i] = fn(sa[oa + i]!, sb[ob + i]!);
  } else if (ca && isScalarLike(b)) {
    const oa = a.offset;
    const v = sb[b.offset]!;
    for (let i = 0; i < n; i++) data[i] = fn(sa[oa + i]!, v);
  } else if (cb && isScalarLike(a)) {
    const ob = b.offset;
    const v = sa[a.offset]!;
    for (let i = 0; i < n; i++) data[i] = fn(v, sb[ob + i]!);
  } else if (n > 0) {
    // an odometer over the leading dims, the last dim as the inner loop (bias rows, transposes)
    const nd = a.shape.length;
    const last = nd - 1;
    const len = a.shape[last]!;
    const stA = a.strides[last]!;
    const stB = b.strides[last]!;
    const count = new Array<number>(nd).fill(0);
    let oa = a.offset;
    let ob = b.offset;
    let k = 0;
    for (;;) {
      for (let j = 0, pa = oa, pb = ob; j < len; j++, pa += stA, pb += stB) data[k++] = fn(sa[pa]!, sb[pb]!);
      let d = last - 1;
      for (; d >= 0; d--) {
        count[d]!++;
        oa += a.strides[d]!;
        ob += b.strides[d]!;
        if (count[d]! < a.shape[d]!) break;
        oa -= a.strides[d]! * a.shape[d]!;
        ob -= b.strides[d]! * a.shape[d]!;
        count[d] = 0;
      }
      if (d < 0) break;
    }
  }
  return out;
}

/** Whether every stride is 0 (a broadcast scalar). */
export function isScalarLike(t: KernelTensor): boolean {
  return t.strides.every((s) => s === 0);
}
