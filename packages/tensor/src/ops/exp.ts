import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.exp`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('exp', []);

/**
 * Element-wise `e^x` (integer inputs give float32).
 *
 * @example
 * ```ts
 * import { tensor, exp } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await exp(tensor([0])).array(); // [1]
 * ```
 */
export function exp(input: Tensor): Tensor;
export function exp(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('exp', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link exp}. */
    exp(): Tensor;
  }
}
Tensor.prototype.exp = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (exp as (...a: unknown[]) => Tensor)(this, ...rest);
};
