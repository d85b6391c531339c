import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise logistic function `1 / (1 + e^-x)` (integer inputs give float32), computed without overflow for large |x|.
 *
 * @example
 * ```ts
 * import { tensor, sigmoid } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sigmoid(tensor([0, -1000])).array(); // [0.5, 0]
 * ```
 */
export function sigmoid(input: Tensor): Tensor {
  return unaryOp('sigmoid', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sigmoid}. */
    sigmoid(): Tensor;
  }
}
Tensor.prototype.sigmoid = function (this: Tensor): Tensor {
  return sigmoid(this);
};
