import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `input < other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, lt } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await lt(tensor([1, 2, 3]), 2).array(); // [true, false, false]
 * tensor([1, 2, 3]).lt(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function lt(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return binaryOp('lt', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link lt}. */
    lt(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.lt = function (this: Tensor, other: TensorOrScalar): Tensor {
  return lt(this, other);
};
