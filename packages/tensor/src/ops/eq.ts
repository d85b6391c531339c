import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.eq`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('eq', []);

/**
 * Element-wise `input == other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; NaN equals nothing (not even NaN).
 *
 * @example
 * ```ts
 * import { tensor, eq } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await eq(tensor([1, 2, 3]), 2).array(); // [false, true, false]
 * tensor([1, 2, 3]).eq(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function eq(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function eq(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('eq', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link eq}. */
    eq(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.eq = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (eq as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
