import { assertTensor, decompose } from '../engine.js';
import { Tensor } from '../tensor.js';
import { sortArgs, sortKernel } from './sort-kernel.js';
import type { SortOptions } from './sort.js';

/**
 * PyTorch's `torch.argsort`: the int32 positions that sort `input` along `dim` (default the last),
 * ascending unless `descending` — the `indices` of {@link sort} (stable; NaN sorts as the largest
 * value). Not differentiable (its result is an index tensor).
 *
 * @example
 * ```ts
 * import { tensor, argsort } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await argsort(tensor([3, 1, 2])).array(); // [1, 2, 0]
 * await tensor([[3, 1], [0, 5]]).argsort({ dim: 0, descending: true }).array(); // [[0, 1], [1, 0]]
 * await argsort(tensor([1, 1, 0]), 0, true).array(); // [0, 1, 2]
 * ```
 */
export function argsort(input: Tensor, options?: SortOptions): Tensor;
export function argsort(input: Tensor, dim: number, descending?: boolean, options?: Pick<SortOptions, 'stable'>): Tensor;
export function argsort(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('argsort', input);
  const attrs = sortArgs('argsort', input, args);
  // the sort kernel computes the values as well; they are freed at once
  return decompose(() => sortKernel(input, attrs).indices);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link argsort}: `x.argsort()`, `x.argsort(0, true)`, `x.argsort({ dim: 0 })`. */
    argsort(options?: SortOptions): Tensor;
    argsort(dim: number, descending?: boolean, options?: Pick<SortOptions, 'stable'>): Tensor;
  }
}
Tensor.prototype.argsort = function (this: Tensor, ...args: unknown[]): Tensor {
  return (argsort as (...a: unknown[]) => Tensor)(this, ...args);
};
