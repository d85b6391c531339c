import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { isFloating } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link softmax}. */
export interface SoftmaxOptions {
  /** The dim along which the probabilities sum to 1 (negative counts from the end). */
  dim: number;
}

/** `F.softmax(input, dim, dtype=None)`. */
const SIG = signature('softmax', ['dim', 'dtype'], {
  required: 1,
  unsupported: { dtype: "cast the input first, e.g. softmax(x.to('float64'), -1)" },
});

/**
 * Softmax along `dim`: `exp(x - max) / sum(exp(x - max))`, computed stably (the max is subtracted first). `-Infinity` entries get probability 0; a lane of only `-Infinity` gives NaN, as in PyTorch. Needs a floating-point input.
 *
 * @example
 * ```ts
 * import { tensor, softmax } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await softmax(tensor([0, Math.log(3)]), 0).array(); // [0.25, 0.75]
 * await tensor([[1, 1], [2, 2]]).softmax(-1).array(); // [[0.5, 0.5], [0.5, 0.5]]
 * await softmax(tensor([[0, 0], [0, -Infinity]]), { dim: 1 }).array(); // [[0.5, 0.5], [1, 0]]
 * ```
 */
export function softmax(input: Tensor, dim: number): Tensor;
export function softmax(input: Tensor, options: SoftmaxOptions): Tensor;
export function softmax(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('softmax', input);
  const dimArg = parseArgs(SIG, args).dim;
  if (typeof dimArg !== 'number') {
    throw new TypeError(`softmax: expected dim to be an integer, as softmax(x, -1) or softmax(x, { dim: -1 }), got ${String(dimArg)}`);
  }
  if (!isFloating(input.dtype)) {
    throw new TypeError(`softmax: expected a floating point input, got ${input.dtype}; use .float()`);
  }
  const dim = normalizeDim('softmax', dimArg, input.ndim);
  const backend = input.backendInstance;
  const out = wrapResult(backend, runKernel('softmax', 'softmax', { backend, shape: input.shape, dtype: input.dtype }, kernelTensor(input), { dim }));
  record('softmax', [input], { dim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link softmax}: `x.softmax(-1)`, `x.softmax({ dim: 1 })`. */
    softmax(dim: number): Tensor;
    softmax(options: SoftmaxOptions): Tensor;
  }
}
Tensor.prototype.softmax = function (this: Tensor, ...args: unknown[]): Tensor {
  return (softmax as (...a: unknown[]) => Tensor)(this, ...args);
};
