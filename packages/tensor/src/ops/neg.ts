import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.neg`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('neg', []);

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
export function neg(input: Tensor): Tensor;
export function neg(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('neg', input, {}, { noBool: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link neg}. */
    neg(): Tensor;
  }
}
Tensor.prototype.neg = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (neg as (...a: unknown[]) => Tensor)(this, ...rest);
};
