import { parseArgs, signature } from '../signature.js';
import { binaryOp, castUntracked, decompose, resultTypeOf, type TensorOrScalar } from '../engine.js';
import { isFloating } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { gt } from './gt.js';
import { lt } from './lt.js';
import { neg } from './neg.js';
import { sub } from './sub.js';
import { where } from './where.js';

/** Options of {@link div}. */
export interface DivOptions {
  /**
   * `null`/absent: true division (integer operands give float32). `'trunc'`: the quotient rounded
   * toward zero; `'floor'`: rounded down. With a rounding mode, integer operands keep an integer
   * result dtype and the result is not differentiable (its gradient is zero almost everywhere).
   */
  roundingMode?: 'trunc' | 'floor' | null;
}

// trunc/floor built from ops every backend has: adding and subtracting 2^52 (2^23 for float32)
// rounds |q| to an integer in the dtype's own arithmetic, and one comparison turns that rounding
// into truncation. |q| at or above that constant (and ±Infinity) is already an integer; NaN stays NaN.
function roundQuotient(q: Tensor, mode: 'trunc' | 'floor'): Tensor {
  const big = q.dtype === 'float64' ? 2 ** 52 : 2 ** 23;
  const a = abs(q);
  const rounded = where(lt(a, big), sub(add(a, big), big), a);
  const truncAbs = where(gt(rounded, a), sub(rounded, 1), rounded);
  const t = where(lt(q, 0), neg(truncAbs), truncAbs);
  return mode === 'trunc' ? t : where(gt(t, q), sub(t, 1), t);
}

/** `torch.div(input, other, *, rounding_mode=None)`. */
const SIG = signature('div', ['roundingMode'], { keywordOnly: ['roundingMode'] });

/**
 * Element-wise division `input / other`, broadcasting like PyTorch; either operand may be a
 * number. True division by default (integer operands give float32; x/0 is ±Infinity, 0/0 is NaN);
 * `roundingMode: 'trunc' | 'floor'` rounds the quotient like PyTorch's `rounding_mode`.
 *
 * @example
 * ```ts
 * import { tensor, div } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await div(tensor([1, 2, 3]), 2).array(); // [0.5, 1, 1.5]
 * await div(tensor([-7, 7]), 2, { roundingMode: 'floor' }).array(); // [-4, 3]
 * await tensor([-7, 7]).div(2, { roundingMode: 'trunc' }).array(); // [-3, 3]
 * ```
 */
export function div(input: TensorOrScalar, other: TensorOrScalar, options?: DivOptions): Tensor;
export function div(input: TensorOrScalar, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  const mode = parseArgs(SIG, rest).roundingMode ?? null;
  if (mode === null) return binaryOp('div', input, other, {}, 'div');
  if (mode !== 'trunc' && mode !== 'floor') {
    throw new TypeError(`div: expected roundingMode to be 'trunc', 'floor' or null, got ${JSON.stringify(mode)}`);
  }
  const dtype = resultTypeOf(input, other);
  if (dtype === 'bool') throw new TypeError('div: roundingMode is not supported for two bool operands; convert with .int() first');
  return decompose(() => {
    if (isFloating(dtype)) return roundQuotient(binaryOp('div', input, other, {}, 'div'), mode);
    // integer quotients: divide in float64, where every int32 quotient rounds to the right side
    // of the nearest integer, then convert back
    const a = input instanceof Tensor ? castUntracked('div', input, 'float64') : input;
    const b = other instanceof Tensor ? castUntracked('div', other, 'float64') : other;
    return castUntracked('div', roundQuotient(binaryOp('div', a, b, {}, 'div'), mode), dtype);
  });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link div}. */
    div(other: TensorOrScalar, options?: DivOptions): Tensor;
  }
}
Tensor.prototype.div = function (this: Tensor, other: TensorOrScalar, ...rest: unknown[]): Tensor {
  return (div as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
