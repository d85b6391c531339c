import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.clone`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('clone', [], { unsupported: { memoryFormat: 'tensorgrad tensors have one (row-major) memory format; clone() always returns a contiguous copy' } });

/**
 * A copy of `input` with its own contiguous storage (PyTorch's `clone`); recorded for autodiff,
 * so gradients flow back to `input` (use `detach().clone()` for a copy without history).
 *
 * @example
 * ```ts
 * import { tensor, clone } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2]);
 * const y = clone(x);
 * y.add_(1); // x is unchanged
 * await x.array(); // [1, 2]
 * ```
 */
export function clone(input: Tensor): Tensor;
export function clone(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('clone', input);
  const b = input.backendInstance;
  const out = wrapResult(b, runKernel('clone', 'contiguous', { backend: b, shape: input.shape, dtype: input.dtype }, kernelTensor(input), {}));
  record('clone', [input], {}, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link clone}. */
    clone(): Tensor;
  }
}
Tensor.prototype.clone = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (clone as (...a: unknown[]) => Tensor)(this, ...rest);
};
