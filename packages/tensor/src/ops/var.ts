import { reduceDims, type ReduceOptions } from '../args.js';
import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { div } from './div.js';
import { mean } from './mean.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { sum } from './sum.js';

/** Options of `var` and `std`: the reduction dims plus Bessel's correction. */
export interface VarianceOptions extends ReduceOptions {
  /** `true` (default) divides by `N - 1`, `false` by `N`. */
  unbiased?: boolean;
  /** Divide by `N - correction` (PyTorch's newer spelling; overrides the default of `unbiased`). */
  correction?: number;
}

/**
 * Parses the arguments of `var`/`std` with PyTorch's signature `(dim=None, unbiased=True,
 * keepdim=False, *, correction)` — or the lone `(unbiased: boolean)` form — into normalised dims,
 * `keepdim` and `correction`. Unknown option keys and extra positionals throw.
 *
 * @example
 * ```ts
 * import { parseVarianceArgs } from '@tensorgrad/tensor';
 * parseVarianceArgs('var', 2, [{ dim: -1, unbiased: false }]); // { dim: [1], keepdim: false, correction: 0 }
 * parseVarianceArgs('std', 2, [0, false, true]); // { dim: [0], keepdim: true, correction: 0 }
 * parseVarianceArgs('std', 2, [false]); // { dim: [0, 1], keepdim: false, correction: 0 }
 * ```
 */
export function parseVarianceArgs(
  op: string,
  ndim: number,
  args: readonly unknown[],
): { dim: number[]; keepdim: boolean; correction: number } {
  const o =
    typeof args[0] === 'boolean'
      ? parseArgs(signature(op, ['unbiased']), args)
      : parseArgs(signature(op, ['dim', 'unbiased', 'keepdim', 'correction'], { keywordOnly: ['correction'] }), args);
  let correction = 1;
  if (o.unbiased !== undefined && o.correction !== undefined) {
    throw new TypeError(`${op}: pass either unbiased or correction, not both (got unbiased: ${String(o.unbiased)}, correction: ${String(o.correction)})`);
  }
  if (o.unbiased !== undefined) {
    if (typeof o.unbiased !== 'boolean') throw new TypeError(`${op}: expected unbiased to be a boolean, got ${String(o.unbiased)}`);
    correction = o.unbiased ? 1 : 0;
  }
  if (o.correction !== undefined && o.correction !== null) {
    if (typeof o.correction !== 'number' || !Number.isFinite(o.correction)) {
      throw new TypeError(`${op}: expected correction to be a finite number, got ${String(o.correction)}`);
    }
    correction = o.correction;
  }
  const { dim, keepdim } = reduceDims(op, ndim, o.dim, o.keepdim);
  return { dim, keepdim, correction };
}

/**
 * Variance over all elements (0-d result) or over `dim`, dividing the sum of squared deviations by
 * `N - correction` (`unbiased: true`, the default, is `correction: 1`). Like PyTorch the divisor is
 * clamped at 0, so one element with the default correction gives NaN. Positional arguments follow
 * PyTorch: `(dim, unbiased, keepdim)`, or a lone boolean `unbiased`.
 *
 * @example
 * ```ts
 * import { tensor, var as variance } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3, 4], [2, 2, 2, 2]]);
 * await variance(x, { dim: 1 }).array(); // [1.6666666, 0]
 * await x.var(1, true, true).array(); // [[1.6666666], [0]]
 * await x.var(1, false).array(); // [1.25, 0]
 * await x.var({ unbiased: false }).item(); // 0.6875
 * ```
 */
function variance(input: Tensor, options?: VarianceOptions): Tensor;
function variance(input: Tensor, dim?: number | readonly number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor;
function variance(input: Tensor, unbiased: boolean): Tensor;
function variance(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('var', input);
  if (!isFloating(input.dtype)) {
    throw new TypeError(`var: expected a floating point input, got ${input.dtype}; use .float()`);
  }
  const { dim, keepdim, correction } = parseVarianceArgs('var', input.ndim, args);
  let n = 1;
  for (const d of dim) n *= input.shape[d]!;
  // two passes (mean, then squared deviations) avoid the cancellation of E[x²] - E[x]²
  const out = decompose(() => {
    const dev = sub(input, mean(input, { dim, keepdim: true }));
    return div(sum(mul(dev, dev), { dim, keepdim }), Math.max(0, n - correction));
  });
  record('var', [input], { dim, keepdim, correction }, [out]);
  return out;
}

export { variance as var };

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of `var`: `x.var()`, `x.var(1)`, `x.var(1, false, true)`, `x.var({ dim: 0, unbiased: false })`. */
    var(options?: VarianceOptions): Tensor;
    var(dim?: number | readonly number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor;
    var(unbiased: boolean): Tensor;
  }
}
Tensor.prototype.var = function (this: Tensor, ...args: unknown[]): Tensor {
  return (variance as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
