import { Tensor } from '../tensor.js';
import { binaryExtremum } from './binary-extremum.js';

/**
 * Element-wise maximum of `input` and `other` (PyTorch's `torch.maximum`): both tensors,
 * broadcast together, in their promoted dtype. NaN propagates: where either element is NaN the
 * result is NaN. The gradient goes to the larger element; on ties it is split in half between
 * both, as in PyTorch. For a number bound use `clamp(x, { min })`.
 *
 * @example
 * ```ts
 * import { tensor, maximum } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await maximum(tensor([1, 5, 3]), tensor([4, 2, 3])).array(); // [4, 5, 3]
 * await tensor([[1], [6]]).maximum(tensor([2, 5])).array(); // [[2, 5], [6, 6]]
 * await maximum(tensor([1, NaN]), tensor([NaN, 0])).array(); // [NaN, NaN]
 * ```
 */
export function maximum(input: Tensor, other: Tensor): Tensor;
export function maximum(input: Tensor, other: Tensor, ...rest: unknown[]): Tensor {
  return binaryExtremum('maximum', input, other, rest);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link maximum}: `a.maximum(b)`. */
    maximum(other: Tensor): Tensor;
  }
}
Tensor.prototype.maximum = function (this: Tensor, other: Tensor, ...rest: unknown[]): Tensor {
  return binaryExtremum('maximum', this, other, rest);
};
