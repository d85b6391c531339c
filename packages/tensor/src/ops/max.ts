import { Tensor } from '../tensor.js';
import type { ValuesIndices } from '../values-indices.js';
import { extremum } from './extremum.js';

/**
 * The result of {@link max} (and `min`) with a `dim`, PyTorch's named tuple: destructure it as
 * `const [values, indices] = x.max(1)` or read `.values` / `.indices` (int32, the first
 * occurrence on ties).
 */
export type MaxResult = ValuesIndices;

/** Options of {@link max} (and `min`) with a dim. */
export interface MaxOptions {
  /** The dim to reduce (negative counts from the end). */
  dim: number;
  /** Keep the reduced dim with size 1. Default false. */
  keepdim?: boolean;
}

/**
 * The largest element (a 0-d tensor), or with a `dim` the largest values along it and their
 * indices as PyTorch's named tuple: `const [values, indices] = max(x, 1)`, or `.values` and
 * `.indices` (indices int32, the first occurrence on ties). NaN propagates as
 * in PyTorch. Gradients flow to the selected elements; without a dim they are shared evenly
 * among all elements equal to the maximum.
 *
 * @example
 * ```ts
 * import { tensor, max } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 5, 2], [7, 0, 7]]);
 * await max(x).item(); // 7
 * const [values, indices] = x.max(1);
 * await values.array(); // [5, 7]
 * await indices.array(); // [1, 0]
 * await x.max(1, true).indices.array(); // [[1], [0]]
 * await max(x, { dim: 0, keepdim: true }).values.array(); // [[7, 5, 7]]
 * ```
 */
export function max(input: Tensor): Tensor;
export function max(input: Tensor, dim: number, keepdim?: boolean): MaxResult;
export function max(input: Tensor, options: MaxOptions): MaxResult;
export function max(input: Tensor, ...args: unknown[]): Tensor | MaxResult {
  return extremum('max', input, args);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link max}: `x.max()`, `x.max(1)` → `[values, indices]` (also `.values`, `.indices`), `x.max(1, true)`, `x.max({ dim: 1 })`. */
    max(): Tensor;
    max(dim: number, keepdim?: boolean): MaxResult;
    max(options: MaxOptions): MaxResult;
  }
}
Tensor.prototype.max = function (this: Tensor, ...args: unknown[]): never {
  return extremum('max', this, args) as never;
};
