import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { reshapeUntracked } from './reshape.js';

/** Options of {@link flatten}. */
export interface FlattenOptions {
  /** First dimension to flatten (default 0). */
  startDim?: number;
  /** Last dimension to flatten, inclusive (default -1). */
  endDim?: number;
}

/** `torch.flatten(input, start_dim=0, end_dim=-1)`. */
const SIG = signature('flatten', ['startDim', 'endDim']);

/**
 * Merges dimensions `startDim..endDim` (inclusive) into one: a view when the strides allow,
 * otherwise a copy (like {@link reshape}). A 0-d tensor becomes 1-d.
 *
 * @example
 * ```ts
 * import { zeros, flatten } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = zeros([2, 3, 4]);
 * flatten(x).shape; // [24]
 * x.flatten(1).shape; // [2, 12]
 * flatten(x, { startDim: 0, endDim: 1 }).shape; // [6, 4]
 * ```
 */
export function flatten(input: Tensor, options?: FlattenOptions): Tensor;
export function flatten(input: Tensor, startDim?: number, endDim?: number): Tensor;
export function flatten(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('flatten', input);
  const o = parseArgs(SIG, args) as FlattenOptions;
  const s = o.startDim ?? 0;
  const e = o.endDim ?? -1;
  const nd = input.ndim;
  const startDim = normalizeDim('flatten', s, nd);
  const endDim = normalizeDim('flatten', e, nd);
  if (startDim > endDim) {
    throw new RangeError(`flatten: startDim (${s}) cannot come after endDim (${e}) for a ${nd}-d tensor`);
  }
  let shape: number[];
  if (nd === 0) shape = [1];
  else {
    let merged = 1;
    for (let i = startDim; i <= endDim; i++) merged *= input.shape[i]!;
    shape = [...input.shape.slice(0, startDim), merged, ...input.shape.slice(endDim + 1)];
  }
  const out = reshapeUntracked('flatten', input, shape);
  record('flatten', [input], { startDim, endDim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link flatten}: `x.flatten()`, `x.flatten(1)`, `x.flatten(1, 2)`. */
    flatten(options?: FlattenOptions): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
  }
}
Tensor.prototype.flatten = function (this: Tensor, ...args: unknown[]): Tensor {
  return (flatten as (...a: unknown[]) => Tensor)(this, ...args);
};
