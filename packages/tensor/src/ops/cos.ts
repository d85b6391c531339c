import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise cosine in radians (integer inputs give float32).
 *
 * @example
 * ```ts
 * import { tensor, cos } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await cos(tensor([0])).array(); // [1]
 * ```
 */
export function cos(input: Tensor): Tensor {
  return unaryOp('cos', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link cos}. */
    cos(): Tensor;
  }
}
Tensor.prototype.cos = function (this: Tensor): Tensor {
  return cos(this);
};
