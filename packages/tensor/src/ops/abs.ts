import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise absolute value `|x|`. Not defined for bool tensors.
 *
 * @example
 * ```ts
 * import { tensor, abs } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await abs(tensor([-1.5, 2])).array(); // [1.5, 2]
 * ```
 */
export function abs(input: Tensor): Tensor {
  return unaryOp('abs', input, {}, { noBool: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link abs}. */
    abs(): Tensor;
  }
}
Tensor.prototype.abs = function (this: Tensor): Tensor {
  return abs(this);
};
