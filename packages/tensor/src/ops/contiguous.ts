import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { Tensor } from '../tensor.js';

/** `torch.contiguous`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('contiguous', [], { unsupported: { memoryFormat: 'tensorgrad tensors have one (row-major) memory format' } });

/**
 * `input` with its elements laid out contiguously in row-major order: a view sharing storage when
 * it already is (a new tensor object, so disposing it never frees `input`), else a copy.
 * Recorded for autodiff.
 *
 * @example
 * ```ts
 * import { tensor, contiguous } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const t = tensor([[1, 2], [3, 4]]).transpose(0, 1);
 * t.isContiguous(); // false
 * contiguous(t).isContiguous(); // true
 * ```
 */
export function contiguous(input: Tensor): Tensor;
export function contiguous(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('contiguous', input);
  let out: Tensor;
  if (input.isContiguous()) {
    out = input._view(input.shape, input._strides, input._offset);
  } else {
    const b = input.backendInstance;
    out = wrapResult(b, runKernel('contiguous', 'contiguous', { backend: b, shape: input.shape, dtype: input.dtype }, kernelTensor(input), {}));
  }
  record('contiguous', [input], {}, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link contiguous}. */
    contiguous(): Tensor;
  }
}
Tensor.prototype.contiguous = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (contiguous as (...a: unknown[]) => Tensor)(this, ...rest);
};
