import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise sine in radians (integer inputs give float32).
 *
 * @example
 * ```ts
 * import { tensor, sin } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sin(tensor([0])).array(); // [0]
 * ```
 */
export function sin(input: Tensor): Tensor {
  return unaryOp('sin', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sin}. */
    sin(): Tensor;
  }
}
Tensor.prototype.sin = function (this: Tensor): Tensor {
  return sin(this);
};
