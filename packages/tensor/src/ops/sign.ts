import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.sign`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('sign', []);

/**
 * Element-wise sign: -1, 0 or 1 (0 for ±0 and for NaN, as in PyTorch). Keeps the input dtype. Not differentiable.
 *
 * @example
 * ```ts
 * import { tensor, sign } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await sign(tensor([-3, 0, 2])).array(); // [-1, 0, 1]
 * ```
 */
export function sign(input: Tensor): Tensor;
export function sign(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('sign', input, {});
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sign}. */
    sign(): Tensor;
  }
}
Tensor.prototype.sign = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (sign as (...a: unknown[]) => Tensor)(this, ...rest);
};
