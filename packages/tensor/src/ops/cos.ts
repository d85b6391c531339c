import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.cos`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('cos', []);

/**
 * Element-wise cosine in radians (integer inputs give float32).
 *
 * @example
 * ```ts
 * import { tensor, cos } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await cos(tensor([0])).array(); // [1]
 * ```
 */
export function cos(input: Tensor): Tensor;
export function cos(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('cos', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link cos}. */
    cos(): Tensor;
  }
}
Tensor.prototype.cos = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (cos as (...a: unknown[]) => Tensor)(this, ...rest);
};
