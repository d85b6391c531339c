import { assertTensor, unaryOp } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** Options of {@link leakyRelu}. */
export interface LeakyReluOptions {
  /** Slope for negative inputs (PyTorch's `negative_slope`). Default 0.01. */
  negativeSlope?: number;
}

/**
 * Element-wise leaky ReLU: `x` where `x > 0`, else `negativeSlope * x`. Floating-point tensors
 * only. The slope may also be passed as a number: `leakyRelu(x, 0.2)`.
 *
 * @example
 * ```ts
 * import { tensor, leakyRelu } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await leakyRelu(tensor([-2, 3]), { negativeSlope: 0.5 }).array(); // [-1, 3]
 * ```
 */
export function leakyRelu(input: Tensor, options: LeakyReluOptions | number = {}): Tensor {
  assertTensor('leakyRelu', input);
  const negativeSlope = typeof options === 'number' ? options : (options.negativeSlope ?? 0.01);
  if (typeof negativeSlope !== 'number') {
    throw new TypeError(`leakyRelu: expected negativeSlope to be a number, got ${typeof negativeSlope}`);
  }
  if (!isFloating(input.dtype)) {
    throw new TypeError(`leakyRelu: expected a floating-point tensor, got ${input.dtype}; convert it with .float() first`);
  }
  return unaryOp('leakyRelu', input, { negativeSlope });
}
