import type { DType, KernelResult, KernelTensor } from '@tensorgrad/tensor';
import { contiguous } from './contiguous.js';
import { numbers, result, isContiguous } from '../util.js';
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
