/** Helpers shared by the CPU kernels: result allocation and strided iteration. */
import { isContiguousLayout, shapeSize, stridedOffsets as layoutOffsets, type DType, type KernelResult, type KernelTensor, type Shape, type TypedArray } from '@tensorgrad/tensor';
import type { CpuBuffer } from './backend.js';
import { giveArray, takeArray } from './buffer-pool.js';

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

/**
 * Allocates a counted CPU buffer, reusing a pooled array of the same dtype and length when there
 * is one (see buffer-pool.ts). Zero-filled unless `zero` is false, which a caller may pass only
 * when it overwrites every element before anyone reads the buffer.
 */
export function allocBuffer(dtype: DType, size: number, zero = true): CpuBuffer {
  const array = takeArray(dtype, size, zero);
  cpuStats.buffers++;
  cpuStats.bytes += array.byteLength;
  return { array, dtype, freed: false };
}

/** Releases a buffer: its accounting, and its array to the pool. Freeing twice is an error. */
export function freeBuffer(buf: CpuBuffer): void {
  if (buf.freed) throw new Error('cpu: a buffer was freed twice (a tensor disposed after its storage was released); this is a bug in tensorgrad, please report it');
  buf.freed = true;
  cpuStats.buffers--;
  cpuStats.bytes -= buf.array.byteLength;
  giveArray(buf.dtype, buf.array);
}

/**
 * Allocates a contiguous result of `shape`/`dtype`; returns it with its array for writing. The
 * array is zero-filled unless `overwritten` says the kernel writes every element itself.
 */
export function result(shape: Shape, dtype: DType, overwritten = false): { out: KernelResult; data: TypedArray } {
  const buf = allocBuffer(dtype, shapeSize(shape), !overwritten);
  return { out: { handle: buf, shape, dtype }, data: buf.array };
}

/** Whether `t` is contiguous row-major (offset allowed). */
export function isContiguous(t: KernelTensor): boolean {
  return isContiguousLayout(t.shape, t.strides);
}

/**
 * Storage offsets of every element of `t` in row-major order (for strided inputs). For
 * contiguous tensors use `t.offset + i` directly instead.
 */
export function stridedOffsets(t: KernelTensor): Int32Array {
  return layoutOffsets(t.shape, t.strides, t.offset);
}

// ---- per-op loops --------------------------------------------------------------------------------
// A loop that calls a function parameter for every element is only fast while that call site sees
// one function: V8 then inlines it. One shared loop for every op soon sees dozens, and every
// element pays a real call (measured 3-4x slower, e.g. SGD's update inside a training run). So each
// element function (told apart by its source text: every closure of one arrow function shares a
// loop) gets its own copy of the hot loops, compiled from source so that V8 keeps separate type
// feedback for each. Where code generation is forbidden (a Content-Security-Policy without
// 'unsafe-eval'), the shared loops below are used.

type Arr = { [i: number]: number; length: number };
type UnaryFn = (v: number) => number;
type BinaryFn = (x: number, y: number) => number;
interface Loops {
  /** `data[i] = fn(a[oa + i])`. */
  unary(fn: UnaryFn, data: Arr, a: Arr, oa: number, n: number): void;
  /** `data[i] = fn(a[oa + i], b[ob + i])`. */
  both(fn: BinaryFn, data: Arr, a: Arr, oa: number, b: Arr, ob: number, n: number): void;
  /** `data[i] = fn(a[oa + i], v)`. */
  left(fn: BinaryFn, data: Arr, a: Arr, oa: number, v: number, n: number): void;
  /** `data[i] = fn(v, b[ob + i])`. */
  right(fn: BinaryFn, data: Arr, v: number, b: Arr, ob: number, n: number): void;
}

const LOOPS_SOURCE = `return {
  unary(fn, data, a, oa, n) { for (let i = 0; i < n; i++) data[i] = fn(a[oa + i]); },
  both(fn, data, a, oa, b, ob, n) { for (let i = 0; i < n; i++) data[i] = fn(a[oa + i], b[ob + i]); },
  left(fn, data, a, oa, v, n) { for (let i = 0; i < n; i++) data[i] = fn(a[oa + i], v); },
  right(fn, data, v, b, ob, n) { for (let i = 0; i < n; i++) data[i] = fn(v, b[ob + i]); },
};`;

const sharedLoops: Loops = {
  unary(fn, data, a, oa, n) {
    for (let i = 0; i < n; i++) data[i] = fn(a[oa + i]!);
  },
  both(fn, data, a, oa, b, ob, n) {
    for (let i = 0; i < n; i++) data[i] = fn(a[oa + i]!, b[ob + i]!);
  },
  left(fn, data, a, oa, v, n) {
    for (let i = 0; i < n; i++) data[i] = fn(a[oa + i]!, v);
  },
  right(fn, data, v, b, ob, n) {
    for (let i = 0; i < n; i++) data[i] = fn(v, b[ob + i]!);
  },
};

let codegen = true;
const loopsByFn = new Map<string, Loops>();

// module-level element functions are found by identity; closures made per call (clamp's bounds)
// by their source text, which all closures of one arrow function share
const loopsByIdentity = new WeakMap<UnaryFn | BinaryFn, Loops>();

function loopsFor(fn: UnaryFn | BinaryFn): Loops {
  if (!codegen) return sharedLoops;
  let loops = loopsByIdentity.get(fn);
  if (loops) return loops;
  const key = fn.toString();
  loops = loopsByFn.get(key);
  if (!loops) {
    try {
      loops = new Function(LOOPS_SOURCE)() as Loops;
    } catch {
      codegen = false;
      return sharedLoops;
    }
    loopsByFn.set(key, loops);
  }
  loopsByIdentity.set(fn, loops);
  return loops;
}

/** Applies `fn` element-wise, writing a contiguous result of dtype `outDtype` (default: input's). */
export function mapUnary(x: KernelTensor, fn: (v: number) => number, outDtype: DType = x.dtype): KernelResult {
  const { out, data } = result(x.shape, outDtype, true);
  const src = numbers(x);
  const n = data.length;
  if (isContiguous(x)) {
    loopsFor(fn).unary(fn, data, src, x.offset, n);
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
  const { out, data } = result(a.shape, outDtype, true);
  const sa = numbers(a);
  const sb = numbers(b);
  const n = data.length;
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  if (ca && cb) {
    loopsFor(fn).both(fn, data, sa, a.offset, sb, b.offset, n);
  } else if (ca && isScalarLike(b)) {
    loopsFor(fn).left(fn, data, sa, a.offset, sb[b.offset]!, n);
  } else if (cb && isScalarLike(a)) {
    loopsFor(fn).right(fn, data, sa[a.offset]!, sb, b.offset, n);
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
