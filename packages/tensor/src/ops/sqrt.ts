import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.sqrt`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('sqrt', []);

/**
 * Element-wise square root (integer inputs give float32): sqrt(x < 0) = NaN.
 *
 * @example
 * ```ts
 * import { tensor, sqrt } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sqrt(tensor([4, 9])).array(); // [2, 3]
 * ```
 */
export function sqrt(input: Tensor): Tensor;
export function sqrt(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('sqrt', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sqrt}. */
    sqrt(): Tensor;
  }
}
Tensor.prototype.sqrt = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (sqrt as (...a: unknown[]) => Tensor)(this, ...rest);
};
