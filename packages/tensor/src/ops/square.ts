import { castUntracked, unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise `x * x`. Keeps the input dtype, except bool which gives int32 (as PyTorch's
 * `square` of a bool tensor gives an integer tensor).
 *
 * @example
 * ```ts
 * import { tensor, square } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await square(tensor([-3, 2])).array(); // [9, 4]
 * ```
 */
export function square(input: Tensor): Tensor {
  if (input instanceof Tensor && input.dtype === 'bool') {
    const asInt = castUntracked('square', input, 'int32');
    try {
      return unaryOp('square', asInt, {});
    } finally {
      asInt.dispose();
    }
  }
  return unaryOp('square', input, {});
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link square}. */
    square(): Tensor;
  }
}
Tensor.prototype.square = function (this: Tensor): Tensor {
  return square(this);
};
