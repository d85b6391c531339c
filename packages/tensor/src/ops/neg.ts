import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise negation `-x`. Not defined for bool tensors.
 *
 * @example
 * ```ts
 * import { tensor, neg } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await neg(tensor([1, -2])).array(); // [-1, 2]
 * ```
 */
export function neg(input: Tensor): Tensor {
  return unaryOp('neg', input, {}, { noBool: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link neg}. */
    neg(): Tensor;
  }
}
Tensor.prototype.neg = function (this: Tensor): Tensor {
  return neg(this);
};
