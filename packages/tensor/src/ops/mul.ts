import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.mul`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('mul', []);

/**
 * Element-wise product with broadcasting; either operand may be a number.
 *
 * @example
 * ```ts
 * import { tensor, mul } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await mul(tensor([1, 2, 3]), 2).array(); // [2, 4, 6]
 * ```
 */
export function mul(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function mul(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('mul', input, other, {}, 'arith');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link mul}. */
    mul(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.mul = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (mul as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
