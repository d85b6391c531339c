import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.abs`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('abs', []);

/**
 * Element-wise absolute value `|x|`. Not defined for bool tensors.
 *
 * @example
 * ```ts
 * import { tensor, abs } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await abs(tensor([-1.5, 2])).array(); // [1.5, 2]
 * ```
 */
export function abs(input: Tensor): Tensor;
export function abs(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('abs', input, {}, { noBool: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link abs}. */
    abs(): Tensor;
  }
}
Tensor.prototype.abs = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (abs as (...a: unknown[]) => Tensor)(this, ...rest);
};
