import { Tensor } from '../tensor.js';
import { extremum } from './extremum.js';
import type { MaxOptions, MaxResult } from './max.js';

/** The result of {@link min} with a `dim`: the smallest values and their int32 indices. */
export type MinResult = MaxResult;

/** Options of {@link min} with a dim. */
export type MinOptions = MaxOptions;

/**
 * The smallest element (a 0-d tensor), or with a `dim` the smallest values along it and their
 * indices as PyTorch's named tuple, `[values, indices]` with `.values`/`.indices` (indices int32, the first occurrence on ties). NaN propagates as
 * in PyTorch. Gradients flow to the selected elements; without a dim they are shared evenly
 * among all elements equal to the minimum.
 *
 * @example
 * ```ts
 * import { tensor, min } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 5, 2], [7, 0, 0]]);
 * await min(x).item(); // 0
 * const [values, indices] = x.min(1);
 * await values.array(); // [1, 0]
 * await indices.array(); // [0, 1]
 * await min(x, { dim: 0, keepdim: true }).values.array(); // [[1, 0, 0]]
 * ```
 */
export function min(input: Tensor): Tensor;
export function min(input: Tensor, dim: number, keepdim?: boolean): MinResult;
export function min(input: Tensor, options: MinOptions): MinResult;
export function min(input: Tensor, ...args: unknown[]): Tensor | MinResult {
  return extremum('min', input, args) as Tensor | MinResult;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link min}: `x.min()`, `x.min(1)` → `[values, indices]` (also `.values`, `.indices`), `x.min(1, true)`, `x.min({ dim: 1 })`. */
    min(): Tensor;
    min(dim: number, keepdim?: boolean): MinResult;
    min(options: MinOptions): MinResult;
  }
}
Tensor.prototype.min = function (this: Tensor, ...args: unknown[]): never {
  return extremum('min', this, args) as never;
};
