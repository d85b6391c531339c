import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.le`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('le', []);

/**
 * Element-wise `input <= other` as a bool tensor, broadcasting like PyTorch; either operand
 * may be a number. Operands are compared in their promoted dtype; comparisons with NaN are false.
 *
 * @example
 * ```ts
 * import { tensor, le } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await le(tensor([1, 2, 3]), 2).array(); // [true, true, false]
 * tensor([1, 2, 3]).le(tensor([[2], [3]])).shape; // [2, 3]
 * ```
 */
export function le(input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function le(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return binaryOp('le', input, other, {}, 'compare');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link le}. */
    le(other: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.le = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (le as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
