import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { isFloating } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link logSoftmax}. */
export interface LogSoftmaxOptions {
  /** The dim along which the probabilities sum to 1 (negative counts from the end). */
  dim: number;
}

/** `F.log_softmax(input, dim, dtype=None)`. */
const SIG = signature('logSoftmax', ['dim', 'dtype'], {
  required: 1,
  unsupported: { dtype: "cast the input first, e.g. logSoftmax(x.to('float64'), -1)" },
});

/**
 * Log of the softmax along `dim`: `x - max - log(sum(exp(x - max)))`, computed stably without forming the softmax. `-Infinity` entries give `-Infinity`; a lane of only `-Infinity` gives NaN, as in PyTorch. Needs a floating-point input.
 *
 * @example
 * ```ts
 * import { tensor, logSoftmax } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await logSoftmax(tensor([0, Math.log(3)]), 0).array(); // [-1.3862944, -0.2876821]
 * await tensor([[1, 1], [2, 2]]).logSoftmax(-1).array(); // [[-0.6931472, -0.6931472], [-0.6931472, -0.6931472]]
 * await logSoftmax(tensor([[0, -Infinity]]), { dim: 1 }).array(); // [[0, -Infinity]]
 * ```
 */
export function logSoftmax(input: Tensor, dim: number): Tensor;
export function logSoftmax(input: Tensor, options: LogSoftmaxOptions): Tensor;
export function logSoftmax(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('logSoftmax', input);
  const dimArg = parseArgs(SIG, args).dim;
  if (typeof dimArg !== 'number') {
    throw new TypeError(`logSoftmax: expected dim to be an integer, as logSoftmax(x, -1) or logSoftmax(x, { dim: -1 }), got ${String(dimArg)}`);
  }
  if (!isFloating(input.dtype)) {
    throw new TypeError(`logSoftmax: expected a floating point input, got ${input.dtype}; use .float()`);
  }
  const dim = normalizeDim('logSoftmax', dimArg, input.ndim);
  const backend = input.backendInstance;
  const out = wrapResult(backend, runKernel('logSoftmax', 'logSoftmax', { backend, shape: input.shape, dtype: input.dtype }, kernelTensor(input), { dim }));
  record('logSoftmax', [input], { dim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link logSoftmax}: `x.logSoftmax(-1)`, `x.logSoftmax({ dim: 1 })`. */
    logSoftmax(dim: number): Tensor;
    logSoftmax(options: LogSoftmaxOptions): Tensor;
  }
}
Tensor.prototype.logSoftmax = function (this: Tensor, ...args: unknown[]): Tensor {
  return (logSoftmax as (...a: unknown[]) => Tensor)(this, ...args);
};
