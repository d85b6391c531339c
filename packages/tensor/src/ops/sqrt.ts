import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise square root (integer inputs give float32): sqrt(x < 0) = NaN.
 *
 * @example
 * ```ts
 * import { tensor, sqrt } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sqrt(tensor([4, 9])).array(); // [2, 3]
 * ```
 */
export function sqrt(input: Tensor): Tensor {
  return unaryOp('sqrt', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sqrt}. */
    sqrt(): Tensor;
  }
}
Tensor.prototype.sqrt = function (this: Tensor): Tensor {
  return sqrt(this);
};
