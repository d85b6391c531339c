/** Helpers shared by the CPU kernels: storage access, strided iteration and element-wise loops. */
import type { DType, Shape, TypedArray } from '@tensorgrad/tensor';
import { isContiguousLayout, stridedOffsets as layoutOffsets, type KernelResult, type KernelTensor } from '@tensorgrad/tensor/backend';
import type { CpuBackend, CpuBuffer } from './backend.js';

/**
 * What the helpers need of a kernel's context: the backend instance (allocation, settings) and the
 * output's shape and dtype. Every `KernelContext<K, CpuBackend>` is one.
 */
export interface CpuContext {
  readonly backend: CpuBackend;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** The typed array behind a kernel tensor. */
export function arr(t: KernelTensor): TypedArray {
  return (t.handle as CpuBuffer).array;
}

/** The typed array behind a kernel tensor, as a generic indexable array of numbers. */
export function numbers(t: KernelTensor): { [i: number]: number; length: number } {
  return (t.handle as CpuBuffer).array;
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

// Pure caches of generated code (the same loops for every backend instance): by source text, and
// module-level element functions by identity; closures made per call (clamp's bounds) are found by
// their source text, which all closures of one arrow function share
const loopsByFn = new Map<string, Loops>();
const loopsByIdentity = new WeakMap<UnaryFn | BinaryFn, Loops>();

// `backend.codegen` is off where code generation is forbidden (found out at the first try)
function loopsFor(backend: CpuBackend, fn: UnaryFn | BinaryFn): Loops {
  if (!backend.codegen) return sharedLoops;
  let loops = loopsByIdentity.get(fn);
  if (loops) return loops;
  const key = fn.toString();
  loops = loopsByFn.get(key);
  if (!loops) {
    try {
      loops = new Function(LOOPS_SOURCE)() as Loops;
    } catch {
      backend.codegen = false;
      return sharedLoops;
    }
    loopsByFn.set(key, loops);
  }
  loopsByIdentity.set(fn, loops);
  return loops;
}

/** Applies `fn` element-wise, writing a contiguous result of `ctx.shape` and `ctx.dtype`. */
export function mapUnary(ctx: CpuContext, x: KernelTensor, fn: (v: number) => number): KernelResult {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const src = numbers(x);
  const n = data.length;
  if (isContiguous(x)) {
    loopsFor(ctx.backend, fn).unary(fn, data, src, x.offset, n);
  } else {
    const offs = stridedOffsets(x);
    for (let i = 0; i < n; i++) data[i] = fn(src[offs[i]!]!);
  }
  return out;
}

/**
 * Applies `fn` element-wise to two operands of `ctx.shape` (broadcast through strides), writing a
 * contiguous result of `ctx.dtype`.
 */
export function mapBinary(ctx: CpuContext, a: KernelTensor, b: KernelTensor, fn: (x: number, y: number) => number): KernelResult {
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype, true);
  const sa = numbers(a);
  const sb = numbers(b);
  const n = data.length;
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  if (ca && cb) {
    loopsFor(ctx.backend, fn).both(fn, data, sa, a.offset, sb, b.offset, n);
  } else if (ca && isScalarLike(b)) {
    loopsFor(ctx.backend, fn).left(fn, data, sa, a.offset, sb[b.offset]!, n);
  } else if (cb && isScalarLike(a)) {
    loopsFor(ctx.backend, fn).right(fn, data, sa[a.offset]!, sb, b.offset, n);
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

/** A contiguous copy of `x` (of its shape and dtype) in a new result of `backend`. */
export function contiguousCopy(backend: CpuBackend, x: KernelTensor): KernelResult {
  const { out, data } = backend.result(x.shape, x.dtype, true);
  const src = numbers(x);
  if (isContiguous(x)) {
    data.set((src as Float64Array).subarray(x.offset, x.offset + data.length) as never);
    return out;
  }
  const offs = stridedOffsets(x);
  for (let i = 0; i < data.length; i++) data[i] = src[offs[i]!]!;
  return out;
}
