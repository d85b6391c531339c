import { Tensor } from '../tensor.js';
import { binaryExtremum } from './binary-extremum.js';

/**
 * Element-wise minimum of `input` and `other` (PyTorch's `torch.minimum`): both tensors,
 * broadcast together, in their promoted dtype. NaN propagates: where either element is NaN the
 * result is NaN. The gradient goes to the smaller element; on ties it is split in half between
 * both, as in PyTorch. For a number bound use `clamp(x, { max })`.
 *
 * @example
 * ```ts
 * import { tensor, minimum } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await minimum(tensor([1, 5, 3]), tensor([4, 2, 3])).array(); // [1, 2, 3]
 * await tensor([[1], [6]]).minimum(tensor([2, 5])).array(); // [[1, 1], [2, 5]]
 * await minimum(tensor([1, NaN]), tensor([NaN, 0])).array(); // [NaN, NaN]
 * ```
 */
export function minimum(input: Tensor, other: Tensor): Tensor;
export function minimum(input: Tensor, other: Tensor, ...rest: unknown[]): Tensor {
  return binaryExtremum('minimum', input, other, rest);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link minimum}: `a.minimum(b)`. */
    minimum(other: Tensor): Tensor;
  }
}
Tensor.prototype.minimum = function (this: Tensor, other: Tensor, ...rest: unknown[]): Tensor {
  return binaryExtremum('minimum', this, other, rest);
};
