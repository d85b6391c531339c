import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise product with broadcasting; either operand may be a number.
 *
 * @example
 * ```ts
 * import { tensor, mul } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await mul(tensor([1, 2, 3]), 2).array(); // [2, 4, 6]
 * ```
 */
export function mul(input: TensorOrScalar, other: TensorOrScalar): Tensor {
  return binaryOp('mul', input, other, {}, 'arith');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link mul}. */
    mul(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.mul = function (this: Tensor, other: TensorOrScalar): Tensor {
  return mul(this, other);
};
