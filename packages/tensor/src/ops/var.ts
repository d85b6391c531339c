import { parseReduceArgs, type ReduceOptions } from '../args.js';
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
 * Parses the arguments of `var`/`std`: `()`, `(unbiased: boolean)`, `(dim, keepdim?)` or
 * `({ dim, keepdim, unbiased | correction })` into normalised dims, `keepdim` and `correction`.
 *
 * @example
 * ```ts
 * import { parseVarianceArgs } from '@tensorgrad/tensor';
 * parseVarianceArgs('var', 2, [{ dim: -1, unbiased: false }]); // { dim: [1], keepdim: false, correction: 0 }
 * ```
 */
export function parseVarianceArgs(
  op: string,
  ndim: number,
  args: readonly unknown[],
): { dim: number[]; keepdim: boolean; correction: number } {
  const a0 = args[0];
  if (typeof a0 === 'boolean') {
    if (args.length > 1) throw new TypeError(`${op}: after unbiased (${a0}) no more positional arguments are accepted; use ${op}(x, { dim, keepdim, unbiased })`);
    return { ...parseReduceArgs(op, ndim, []), correction: a0 ? 1 : 0 };
  }
  let correction = 1;
  let reduceArgs: readonly unknown[] = args;
  if (typeof a0 === 'object' && a0 !== null && !Array.isArray(a0)) {
    const o = a0 as VarianceOptions;
    if (o.unbiased !== undefined && o.correction !== undefined) {
      throw new TypeError(`${op}: pass either unbiased or correction, not both (got unbiased: ${o.unbiased}, correction: ${o.correction})`);
    }
    if (o.unbiased !== undefined) {
      if (typeof o.unbiased !== 'boolean') throw new TypeError(`${op}: expected unbiased to be a boolean, got ${String(o.unbiased)}`);
      correction = o.unbiased ? 1 : 0;
    }
    if (o.correction !== undefined) {
      if (typeof o.correction !== 'number' || !Number.isFinite(o.correction)) {
        throw new TypeError(`${op}: expected correction to be a finite number, got ${String(o.correction)}`);
      }
      correction = o.correction;
    }
    reduceArgs = [{ dim: o.dim, keepdim: o.keepdim }];
  }
  const { dim, keepdim } = parseReduceArgs(op, ndim, reduceArgs);
  return { dim, keepdim, correction };
}

/**
 * Variance over all elements (0-d result) or over `dim`, dividing the sum of squared deviations by
 * `N - correction` (`unbiased: true`, the default, is `correction: 1`). Like PyTorch the divisor is
 * clamped at 0, so one element with the default correction gives NaN. Positional arguments are
 * `(dim, keepdim)` like the other reductions, or a lone boolean `unbiased`.
 *
 * @example
 * ```ts
 * import { tensor, var as variance } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3, 4], [2, 2, 2, 2]]);
 * await variance(x, { dim: 1 }).array(); // [1.6666666, 0]
 * await x.var(1, true).array(); // [[1.6666666], [0]]
 * await x.var({ unbiased: false }).item(); // 0.6875
 * ```
 */
function variance(input: Tensor, options?: VarianceOptions): Tensor;
function variance(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
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
    /** Method form of `var`: `x.var()`, `x.var(1)`, `x.var(1, true)`, `x.var({ dim: 0, unbiased: false })`. */
    var(options?: VarianceOptions): Tensor;
    var(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
    var(unbiased: boolean): Tensor;
  }
}
Tensor.prototype.var = function (this: Tensor, ...args: unknown[]): Tensor {
  return (variance as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
