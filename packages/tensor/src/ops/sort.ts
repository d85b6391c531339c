import { assertTensor } from '../engine.js';
import { Tensor } from '../tensor.js';
import type { ValuesIndices } from '../values-indices.js';
import { sortArgs, sortKernel } from './sort-kernel.js';

/** The result of {@link sort} (and `topk`): PyTorch's named tuple `(values, indices)`. */
export type SortResult = ValuesIndices;

/** Options of {@link sort} and `argsort`. */
export interface SortOptions {
  /** The dim to sort along (negative counts from the end). Default -1. */
  dim?: number;
  /** Largest first. Default false. */
  descending?: boolean;
  /**
   * Keep the order of equal elements. Default false; tensorgrad's sort is always stable, so
   * `false` gives the same (valid) result as `true`.
   */
  stable?: boolean;
}

/**
 * PyTorch's `torch.sort`: the elements of `input` sorted along `dim` (default the last), ascending
 * unless `descending`, with the int32 position each came from, as PyTorch's named tuple:
 * `const [values, indices] = sort(x)`, or `.values` and `.indices`. The sort is always stable
 * (equal elements keep their order); NaN sorts as the largest value, as in PyTorch. Differentiable
 * in `values` (the gradient goes back to where each value came from).
 *
 * @example
 * ```ts
 * import { tensor, sort } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[3, 1, 2], [0, 5, 0]]);
 * const [values, indices] = sort(x);
 * await values.array(); // [[1, 2, 3], [0, 0, 5]]
 * await indices.array(); // [[1, 2, 0], [0, 2, 1]]
 * await x.sort({ dim: 0, descending: true }).values.array(); // [[3, 5, 2], [0, 1, 0]]
 * await sort(tensor([2, NaN, 1]), 0, true).indices.array(); // [1, 0, 2]
 * ```
 */
export function sort(input: Tensor, options?: SortOptions): SortResult;
export function sort(input: Tensor, dim: number, descending?: boolean, options?: Pick<SortOptions, 'stable'>): SortResult;
export function sort(input: Tensor, ...args: unknown[]): SortResult {
  assertTensor('sort', input);
  return sortKernel(input, sortArgs('sort', input, args));
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sort}: `x.sort()`, `x.sort(0, true)`, `x.sort({ dim: 0, descending: true })`. */
    sort(options?: SortOptions): SortResult;
    sort(dim: number, descending?: boolean, options?: Pick<SortOptions, 'stable'>): SortResult;
  }
}
Tensor.prototype.sort = function (this: Tensor, ...args: unknown[]): SortResult {
  return (sort as (...a: unknown[]) => SortResult)(this, ...args);
};
