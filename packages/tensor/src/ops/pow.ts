import { parseArgs, signature } from '../signature.js';
import { binaryOp, type TensorOrScalar } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** `torch.pow`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('pow', []);

/**
 * Element-wise power `input ** exponent`, broadcasting like PyTorch; the base or the exponent
 * may be a number (`pow(x, 2)`, `pow(2, x)`). Follows C's `pow` for special values (`pow(x, 0)`
 * is 1, `pow(1, y)` is 1, a negative base to a non-integer power is NaN). Integer tensors to a
 * negative integer number are rejected, as in PyTorch.
 *
 * @example
 * ```ts
 * import { tensor, pow } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await pow(tensor([1, 2, 3]), 2).array(); // [1, 4, 9]
 * await tensor([4, 9]).pow(0.5).array(); // [2, 3]
 * await pow(2, tensor([0, 1, 3])).array(); // [1, 2, 8]
 * ```
 */
export function pow(input: TensorOrScalar, exponent: TensorOrScalar): Tensor;
export function pow(input: TensorOrScalar, exponent: TensorOrScalar, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  if (input instanceof Tensor && !isFloating(input.dtype) && typeof exponent === 'number' && Number.isInteger(exponent) && exponent < 0) {
    throw new RangeError(
      `pow: integers to negative integer powers are not allowed (got a ${input.dtype} tensor and exponent ${exponent}); convert the tensor with .float() first`,
    );
  }
  return binaryOp('pow', input, exponent, {}, 'arith');
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link pow}. */
    pow(exponent: TensorOrScalar): Tensor;
  }
}
Tensor.prototype.pow = function (this: Tensor, exponent: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (pow as (...a: unknown[]) => Tensor)(this, exponent, ...rest);
};
