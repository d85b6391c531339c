import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.ne`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('ne', []);

/**
 * Element-wise `input != other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; NaN is not equal to anything (even NaN).
 *
 * @example
 * ```ts
 * import { tensor, ne } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await ne(tensor([1, 2, 3]), 2).array(); // [true, false, true]
 * tensor([1, 2, 3]).ne(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function ne(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function ne(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('ne', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link ne}. */
    ne(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.ne = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (ne as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
