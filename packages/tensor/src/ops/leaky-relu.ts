import { parseArgs, signature } from '../signature.js';
import { assertTensor, unaryOp } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** Options of {@link leakyRelu}. */
export interface LeakyReluOptions {
  /** Slope for negative inputs (PyTorch's `negative_slope`). Default 0.01. */
  negativeSlope?: number;
}

/** `F.leaky_relu(input, negative_slope=0.01, inplace=False)`. */
const SIG = signature('leakyRelu', ['negativeSlope'], {
  unsupported: { inplace: 'in-place activation is not supported; use the returned tensor' },
});

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
export function leakyRelu(input: Tensor, options?: LeakyReluOptions | number): Tensor;
export function leakyRelu(input: Tensor, ...rest: unknown[]): Tensor {
  const negativeSlope = parseArgs(SIG, rest).negativeSlope ?? 0.01;
  assertTensor('leakyRelu', input);
  if (typeof negativeSlope !== 'number') {
    throw new TypeError(`leakyRelu: expected negativeSlope to be a number, got ${typeof negativeSlope}`);
  }
  if (!isFloating(input.dtype)) {
    throw new TypeError(`leakyRelu: expected a floating-point tensor, got ${input.dtype}; convert it with .float() first`);
  }
  return unaryOp('leakyRelu', input, { negativeSlope });
}
