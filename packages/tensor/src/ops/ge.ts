import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.ge`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('ge', []);

/**
 * Element-wise `input >= other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, ge } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await ge(tensor([1, 2, 3]), 2).array(); // [false, true, true]
 * tensor([1, 2, 3]).ge(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function ge(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function ge(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('ge', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link ge}. */
    ge(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.ge = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (ge as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
