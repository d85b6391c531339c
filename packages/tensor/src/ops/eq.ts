import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `input == other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; NaN equals nothing (not even NaN).
 *
 * @example
 * ```ts
 * import { tensor, eq } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await eq(tensor([1, 2, 3]), 2).array(); // [false, true, false]
 * tensor([1, 2, 3]).eq(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function eq(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return binaryOp('eq', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link eq}. */
    eq(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.eq = function (this: Tensor, other: TensorOrScalar): Tensor {
  return eq(this, other);
};
