import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `input >= other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, ge } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await ge(tensor([1, 2, 3]), 2).array(); // [false, true, true]
 * tensor([1, 2, 3]).ge(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function ge(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return binaryOp('ge', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link ge}. */
    ge(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.ge = function (this: Tensor, other: TensorOrScalar): Tensor {
  return ge(this, other);
};
