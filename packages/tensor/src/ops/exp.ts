import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `e^x` (integer inputs give float32).
 *
 * @example
 * ```ts
 * import { tensor, exp } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await exp(tensor([0])).array(); // [1]
 * ```
 */
export function exp(input: Tensor): Tensor {
  return unaryOp('exp', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link exp}. */
    exp(): Tensor;
  }
}
Tensor.prototype.exp = function (this: Tensor): Tensor {
  return exp(this);
};
