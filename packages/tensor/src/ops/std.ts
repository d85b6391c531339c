import { assertTensor, decompose, record } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { sqrt } from './sqrt.js';
import { parseVarianceArgs, var as variance, type VarianceOptions } from './var.js';

/**
 * Standard deviation: the square root of `var` with the same arguments (`dim`, `keepdim`,
 * `unbiased` (default true) or `correction`). Positional arguments follow PyTorch:
 * `(dim, unbiased, keepdim)`, or a lone boolean `unbiased`.
 *
 * @example
 * ```ts
 * import { tensor, std } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 3], [5, 5]]);
 * await std(x, { dim: 1 }).array(); // [1.4142135, 0]
 * await x.std(0, true, true).array(); // [[2.828427, 1.4142135]]
 * await x.std(1, false).array(); // [1, 0]
 * await x.std({ unbiased: false }).item(); // 1.6583124
 * ```
 */
export function std(input: Tensor, options?: VarianceOptions): Tensor;
export function std(input: Tensor, dim?: number | readonly number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor;
export function std(input: Tensor, unbiased: boolean): Tensor;
export function std(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('std', input);
  if (!isFloating(input.dtype)) {
    throw new TypeError(`std: expected a floating point input, got ${input.dtype}; use .float()`);
  }
  const { dim, keepdim, correction } = parseVarianceArgs('std', input.ndim, args);
  const out = decompose(() => sqrt(variance(input, { dim, keepdim, correction })));
  record('std', [input], { dim, keepdim, correction }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link std}: `x.std()`, `x.std(1)`, `x.std(1, false, true)`, `x.std({ dim: 0, unbiased: false })`. */
    std(options?: VarianceOptions): Tensor;
    std(dim?: number | readonly number[] | null, unbiased?: boolean, keepdim?: boolean): Tensor;
    std(unbiased: boolean): Tensor;
  }
}
Tensor.prototype.std = function (this: Tensor, ...args: unknown[]): Tensor {
  return (std as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
