import { parseArgs, signature } from '../signature.js';
import { castUntracked, unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.square`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('square', []);

/**
 * Element-wise `x * x`. Keeps the input dtype, except bool which gives int32 (as PyTorch's
 * `square` of a bool tensor gives an integer tensor).
 *
 * @example
 * ```ts
 * import { tensor, square } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await square(tensor([-3, 2])).array(); // [9, 4]
 * ```
 */
export function square(input: Tensor): Tensor;
export function square(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  if (input instanceof Tensor && input.dtype === 'bool') {
    const asInt = castUntracked('square', input, 'int32');
    try {
      return unaryOp('square', asInt, {});
    } finally {
      asInt.dispose();
    }
  }
  return unaryOp('square', input, {});
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link square}. */
    square(): Tensor;
  }
}
Tensor.prototype.square = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (square as (...a: unknown[]) => Tensor)(this, ...rest);
};
