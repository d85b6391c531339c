import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.log`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('log', []);

/**
 * Element-wise natural logarithm (integer inputs give float32): log(0) = -Infinity, log(x < 0) = NaN.
 *
 * @example
 * ```ts
 * import { tensor, log } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await log(tensor([1, 0])).array(); // [0, -Infinity]
 * ```
 */
export function log(input: Tensor): Tensor;
export function log(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('log', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link log}. */
    log(): Tensor;
  }
}
Tensor.prototype.log = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (log as (...a: unknown[]) => Tensor)(this, ...rest);
};
