import { reduceDims, type ReduceOptions } from '../args.js';
import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { sum } from './sum.js';
import { div } from './div.js';

/** `torch.mean(input, dim=None, keepdim=False, *, dtype=None)`. */
const MEAN = signature('mean', ['dim', 'keepdim', 'dtype'], {
  keywordOnly: ['dtype'],
  unsupported: { dtype: "cast the input first, e.g. mean(x.to('float64'))" },
});

/**
 * Mean of all elements (0-d result), or over `dim` (one or several dims), keeping reduced dims
 * with size 1 when `keepdim`. Like PyTorch it needs a floating-point input, and the mean of
 * zero elements is NaN.
 *
 * @example
 * ```ts
 * import { tensor, mean } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await mean(x).item(); // 2.5
 * await x.mean(1).array(); // [1.5, 3.5]
 * await mean(x, { dim: 0, keepdim: true }).array(); // [[2, 3]]
 * ```
 */
export function mean(input: Tensor, options?: ReduceOptions): Tensor;
export function mean(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
export function mean(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('mean', input);
  if (!isFloating(input.dtype)) {
    throw new TypeError(`mean: expected a floating point input, got ${input.dtype}; use .float()`);
  }
  const a = parseArgs(MEAN, args);
  const { dim, keepdim } = reduceDims('mean', input.ndim, a.dim, a.keepdim);
  let count = 1;
  for (const d of dim) count *= input.shape[d]!;
  // sum / count (0 / 0 = NaN for an empty reduction, as in PyTorch); recorded as one op
  const out = decompose(() => div(sum(input, { dim, keepdim }), count));
  record('mean', [input], { dim, keepdim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link mean}: `x.mean()`, `x.mean(1)`, `x.mean(1, true)`, `x.mean({ dim: [0, 1] })`. */
    mean(options?: ReduceOptions): Tensor;
    mean(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  }
}
Tensor.prototype.mean = function (this: Tensor, ...args: unknown[]): Tensor {
  return (mean as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
