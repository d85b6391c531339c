import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `input <= other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, le } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await le(tensor([1, 2, 3]), 2).array(); // [true, true, false]
 * tensor([1, 2, 3]).le(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function le(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return binaryOp('le', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link le}. */
    le(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.le = function (this: Tensor, other: TensorOrScalar): Tensor {
  return le(this, other);
};
