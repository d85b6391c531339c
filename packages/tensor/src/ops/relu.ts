import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/**
 * Element-wise rectified linear unit `max(x, 0)`; NaN propagates. Not defined for bool tensors.
 *
 * @example
 * ```ts
 * import { tensor, relu } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await relu(tensor([-1, 0, 2])).array(); // [0, 0, 2]
 * ```
 */
export function relu(input: Tensor): Tensor {
  return unaryOp('relu', input, {}, { noBool: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link relu}. */
    relu(): Tensor;
  }
}
Tensor.prototype.relu = function (this: Tensor): Tensor {
  return relu(this);
};
