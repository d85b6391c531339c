import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.sigmoid`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('sigmoid', []);

/**
 * Element-wise logistic function `1 / (1 + e^-x)` (integer inputs give float32), computed without overflow for large |x|.
 *
 * @example
 * ```ts
 * import { tensor, sigmoid } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sigmoid(tensor([0, -1000])).array(); // [0.5, 0]
 * ```
 */
export function sigmoid(input: Tensor): Tensor;
export function sigmoid(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('sigmoid', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sigmoid}. */
    sigmoid(): Tensor;
  }
}
Tensor.prototype.sigmoid = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (sigmoid as (...a: unknown[]) => Tensor)(this, ...rest);
};
