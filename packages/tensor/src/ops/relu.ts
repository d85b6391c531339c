import { parseArgs, signature } from '../signature.js';
import { unaryOp } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.relu`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('relu', [], { unsupported: { inplace: 'in-place activation is not supported; use the returned tensor' } });

/**
 * Element-wise rectified linear unit `max(x, 0)`; NaN propagates. Not defined for bool tensors.
 *
 * @example
 * ```ts
 * import { tensor, relu } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await relu(tensor([-1, 0, 2])).array(); // [0, 0, 2]
 * ```
 */
export function relu(input: Tensor): Tensor;
export function relu(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  return unaryOp('relu', input, {}, { noBool: true });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link relu}. */
    relu(): Tensor;
  }
}
Tensor.prototype.relu = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (relu as (...a: unknown[]) => Tensor)(this, ...rest);
};
