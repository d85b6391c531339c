import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.sin`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('sin', []);

/**
 * Element-wise sine in radians (integer inputs give float32).
 *
 * @example
 * ```ts
 * import { tensor, sin } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sin(tensor([0])).array(); // [0]
 * ```
 */
export function sin(input: Tensor): Tensor;
export function sin(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('sin', input, {}, { promoteToFloat: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sin}. */
    sin(): Tensor;
  }
}
Tensor.prototype.sin = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (sin as (...a: unknown[]) => Tensor)(this, ...rest);
};
