import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.gt`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('gt', []);

/**
 * Element-wise `input > other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, gt } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await gt(tensor([1, 2, 3]), 2).array(); // [false, false, true]
 * tensor([1, 2, 3]).gt(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function gt(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function gt(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('gt', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link gt}. */
    gt(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.gt = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (gt as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
