import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise sign: -1, 0 or 1 (0 for ±0 and for NaN, as in PyTorch). Keeps the input dtype. Not differentiable.
 *
 * @example
 * ```ts
 * import { tensor, sign } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sign(tensor([-3, 0, 2])).array(); // [-1, 0, 1]
 * ```
 */
export function sign(input: Tensor): Tensor {
  return unaryOp('sign', input, {});
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sign}. */
    sign(): Tensor;
  }
}
Tensor.prototype.sign = function (this: Tensor): Tensor {
  return sign(this);
};
