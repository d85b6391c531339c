import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.lt`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('lt', []);

/**
 * Element-wise `input < other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, lt } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await lt(tensor([1, 2, 3]), 2).array(); // [true, false, false]
 * tensor([1, 2, 3]).lt(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function lt(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function lt(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('lt', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link lt}. */
    lt(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.lt = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (lt as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
