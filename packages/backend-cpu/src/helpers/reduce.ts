/** Shared by the reduction kernels: lanes of a reduction and a generic fold over sorted dims. */
import type { KernelResult, KernelTensor } from '@tensorgrad/tensor/backend';
import type { CpuBackend, CpuBuffer } from '../backend.js';
import { contiguousCopy, isContiguous, numbers, stridedOffsets, type CpuContext } from '../util.js';

/** Reads `len` elements starting at `base` with `stride` and folds them into one value. */
export type Fold = (src: { [i: number]: number }, base: number, len: number, stride: number) => number;

/**
 * Generic reduction over the (sorted) dims `dims` into a result of `ctx.shape`/`ctx.dtype`: the
 * input is made contiguous and its reduced dims permuted last, so each output element folds one
 * contiguous run.
 */
export function reduce(ctx: CpuContext, x: KernelTensor, dims: readonly number[], fold: Fold): KernelResult {
  const nd = x.shape.length;
  const kept = [...Array(nd).keys()].filter((d) => !dims.includes(d));
  const order = [...kept, ...dims];
  const permuted: KernelTensor = {
    handle: x.handle,
    dtype: x.dtype,
    offset: x.offset,
    shape: order.map((d) => x.shape[d]!),
    strides: order.map((d) => x.strides[d]!),
  };
  let inner = 1;
  for (const d of dims) inner *= x.shape[d]!;
  const { out, data } = ctx.backend.result(ctx.shape, ctx.dtype);
  const tmp = isContiguous(permuted) ? null : contiguousCopy(ctx.backend, permuted);
  const src = tmp ? (tmp.handle as CpuBuffer).array : numbers(x);
  const start = tmp ? 0 : x.offset;
  for (let i = 0; i < data.length; i++) data[i] = fold(src, start + i * inner, inner, 1);
  if (tmp) ctx.backend.release(tmp);
  return out;
}

/**
 * The lanes of a reduction along one dim (or over all elements when `dim` is null): lane `i`
 * (the `i`-th output element in row-major order) reads `len` elements of `src` starting at
 * `bases[i]` with `stride`. Strided inputs are walked in place (no copy) when reducing one dim.
 */
export interface Lanes {
  readonly src: { [i: number]: number; length: number };
  readonly bases: Int32Array;
  readonly len: number;
  readonly stride: number;
  /** Frees the temporary contiguous copy, if one was made. */
  release(): void;
}

/** Splits `x` into the lanes of a reduction along `dim` (normalised) or over everything (`null`). */
export function lanesOf(backend: CpuBackend, x: KernelTensor, dim: number | null): Lanes {
  const nd = x.shape.length;
  if (dim === null || nd === 0) {
    let n = 1;
    for (const d of x.shape) n *= d;
    if (isContiguous(x)) {
      return { src: numbers(x), bases: Int32Array.of(x.offset), len: n, stride: 1, release: () => {} };
    }
    const tmp = contiguousCopy(backend, x);
    return { src: (tmp.handle as CpuBuffer).array, bases: Int32Array.of(0), len: n, stride: 1, release: () => backend.release(tmp) };
  }
  const restShape: number[] = [];
  const restStrides: number[] = [];
  for (let d = 0; d < nd; d++) {
    if (d === dim) continue;
    restShape.push(x.shape[d]!);
    restStrides.push(x.strides[d]!);
  }
  const bases = stridedOffsets({ handle: x.handle, dtype: x.dtype, offset: x.offset, shape: restShape, strides: restStrides });
  return { src: numbers(x), bases, len: x.shape[dim]!, stride: x.strides[dim]!, release: () => {} };
}
