import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `input != other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; NaN is not equal to anything (even NaN).
 *
 * @example
 * ```ts
 * import { tensor, ne } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await ne(tensor([1, 2, 3]), 2).array(); // [true, false, true]
 * tensor([1, 2, 3]).ne(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function ne(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return binaryOp('ne', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link ne}. */
    ne(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.ne = function (this: Tensor, other: TensorOrScalar): Tensor {
  return ne(this, other);
};
