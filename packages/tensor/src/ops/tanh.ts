import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.tanh`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('tanh', []);

/**
 * Element-wise hyperbolic tangent (integer inputs give float32); saturates to ±1 for large |x|.
 *
 * @example
 * ```ts
 * import { tensor, tanh } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await tanh(tensor([0, 100])).array(); // [0, 1]
 * ```
 */
export function tanh(input: Tensor): Tensor;
export function tanh(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('tanh', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link tanh}. */
    tanh(): Tensor;
  }
}
Tensor.prototype.tanh = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (tanh as (...a: unknown[]) => Tensor)(this, ...rest);
};
