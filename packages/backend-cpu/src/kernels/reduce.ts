import type { DType, KernelResult, KernelTensor } from '@tensorgrad/tensor';
import { contiguous } from './contiguous.js';
import { numbers, result, isContiguous, stridedOffsets } from '../util.js';
import { freeBuffer } from '../util.js';
import type { CpuBuffer } from '../backend.js';

/** Reads `len` elements starting at `base` with `stride` and folds them into one value. */
export type Fold = (src: { [i: number]: number }, base: number, len: number, stride: number) => number;

/**
 * Generic reduction over the (sorted) dims `dims`: the input is made contiguous and its reduced
 * dims permuted last, so each output element folds one contiguous run.
 */
export function reduce(x: KernelTensor, dims: readonly number[], keepdim: boolean, outDtype: DType, fold: Fold): KernelResult {
  const nd = x.shape.length;
  const outShape: number[] = [];
  for (let d = 0; d < nd; d++) {
    if (dims.includes(d)) {
      if (keepdim) outShape.push(1);
    } else outShape.push(x.shape[d]!);
  }
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
  const { out, data } = result(outShape, outDtype);
  const contig = isContiguous(permuted);
  const tmp = contig ? null : contiguous(permuted, {});
  const src = tmp ? (tmp.handle as CpuBuffer).array : numbers(x);
  const start = tmp ? 0 : x.offset;
  for (let i = 0; i < data.length; i++) data[i] = fold(src, start + i * inner, inner, 1);
  if (tmp) freeBuffer(tmp.handle as CpuBuffer);
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
  /** The result shape (`keepdim` applied). */
  readonly outShape: number[];
  /** Frees the temporary contiguous copy, if one was made. */
  release(): void;
}

/** Splits `x` into the lanes of a reduction along `dim` (normalised) or over everything (`null`). */
export function lanesOf(x: KernelTensor, dim: number | null, keepdim: boolean): Lanes {
  const nd = x.shape.length;
  if (dim === null || nd === 0) {
    const outShape = keepdim ? x.shape.map(() => 1) : [];
    let n = 1;
    for (const d of x.shape) n *= d;
    if (isContiguous(x)) {
      return { src: numbers(x), bases: Int32Array.of(x.offset), len: n, stride: 1, outShape, release: () => {} };
    }
    const tmp = contiguous(x, {});
    const buf = tmp.handle as CpuBuffer;
    return { src: buf.array, bases: Int32Array.of(0), len: n, stride: 1, outShape, release: () => freeBuffer(buf) };
  }
  const restShape: number[] = [];
  const restStrides: number[] = [];
  for (let d = 0; d < nd; d++) {
    if (d === dim) continue;
    restShape.push(x.shape[d]!);
    restStrides.push(x.strides[d]!);
  }
  const outShape = keepdim ? x.shape.map((s, d) => (d === dim ? 1 : s)) : restShape;
  const bases = stridedOffsets({ handle: x.handle, dtype: x.dtype, offset: x.offset, shape: restShape, strides: restStrides });
  return { src: numbers(x), bases, len: x.shape[dim]!, stride: x.strides[dim]!, outShape, release: () => {} };
}

/**
 * Max/min-like reductions returning `[values, indices]`: `better(v, best)` says whether `v`
 * replaces the current best; NaN always wins and stops the lane (PyTorch propagates NaN and
 * reports the first NaN's index). Ties keep the first occurrence.
 */
export function reduceWithIndex(
  x: KernelTensor,
  dim: number | null,
  keepdim: boolean,
  better: (v: number, best: number) => boolean,
): [KernelResult, KernelResult] {
  const lanes = lanesOf(x, dim, keepdim);
  const { src, bases, len, stride } = lanes;
  const values = result(lanes.outShape, x.dtype);
  const indices = result(lanes.outShape, 'int32');
  const vd = values.data;
  const id = indices.data;
  for (let i = 0; i < vd.length; i++) {
    let o = bases[i]!;
    let best = src[o]!;
    let bi = 0;
    if (best === best) {
      for (let k = 1; k < len; k++) {
        o += stride;
        const v = src[o]!;
        if (v !== v) {
          best = v;
          bi = k;
          break;
        }
        if (better(v, best)) {
          best = v;
          bi = k;
        }
      }
    }
    vd[i] = best;
    id[i] = bi;
  }
  lanes.release();
  return [values.out, indices.out];
}
