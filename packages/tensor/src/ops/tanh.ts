import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise hyperbolic tangent (integer inputs give float32); saturates to ±1 for large |x|.
 *
 * @example
 * ```ts
 * import { tensor, tanh } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await tanh(tensor([0, 100])).array(); // [0, 1]
 * ```
 */
export function tanh(input: Tensor): Tensor {
  return unaryOp('tanh', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link tanh}. */
    tanh(): Tensor;
  }
}
Tensor.prototype.tanh = function (this: Tensor): Tensor {
  return tanh(this);
};
