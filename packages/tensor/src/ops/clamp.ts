import { parseArgs, signature } from '../signature.js';
import { assertTensor, unaryOp } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';

/** Options of {@link clamp}. */
export interface ClampOptions {
  /** Lower bound; absent or `null` = none. */
  min?: number | null;
  /** Upper bound; absent or `null` = none. */
  max?: number | null;
}

function checkBound(name: 'min' | 'max', v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number') {
    throw new TypeError(`clamp: expected ${name} to be a number or null, got ${v instanceof Tensor ? 'a Tensor (tensor bounds are not supported; pass a number)' : typeof v}`);
  }
  return v;
}

/** `torch.clamp(input, min=None, max=None)`. */
const SIG = signature('clamp', ['min', 'max']);

/**
 * Clamps every element into `[min, max]` (either bound may be absent, not both): PyTorch's
 * `clamp(input, min, max)`. NaN stays NaN; when `min > max` every element becomes `max`. Integer
 * tensors with a non-integer bound give float32.
 *
 * @example
 * ```ts
 * import { tensor, clamp } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([-2, 0.5, 3]);
 * await clamp(x, { min: -1, max: 1 }).array(); // [-1, 0.5, 1]
 * await clamp(x, 0).array(); // [0, 0.5, 3]
 * await x.clamp(null, 1).array(); // [-2, 0.5, 1]
 * ```
 */
export function clamp(input: Tensor, options?: ClampOptions): Tensor;
export function clamp(input: Tensor, min?: number | null, max?: number | null): Tensor;
export function clamp(input: Tensor, ...rest: unknown[]): Tensor {
  assertTensor('clamp', input);
  const o = parseArgs(SIG, rest);
  const min = checkBound('min', o.min);
  const max = checkBound('max', o.max);
  if (min === null && max === null) {
    throw new TypeError("clamp: at least one of 'min' or 'max' must be given, e.g. clamp(x, { min: 0 })");
  }
  const fractional = (v: number | null): boolean => v !== null && !Number.isInteger(v) && Math.abs(v) !== Infinity;
  const promote = !isFloating(input.dtype) && (fractional(min) || fractional(max));
  return unaryOp('clamp', input, { min, max }, { noBool: true, promoteToFloat: promote });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link clamp}: `x.clamp(min, max)` or `x.clamp({ min, max })`. */
    clamp(options?: ClampOptions): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
  }
}
Tensor.prototype.clamp = function (this: Tensor, ...rest: unknown[]): Tensor {
  return (clamp as (...a: unknown[]) => Tensor)(this, ...rest);
};
