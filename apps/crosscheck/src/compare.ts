import { toleranceFor, unravel, type HostTensor, type Tolerance, type ToleranceKind } from '@tensorgrad/conformance';
import { isFloating, type DType } from 'tensorgrad';

/**
 * The tolerance backend `b` is held to, with backend `a`'s value as the reference: ARCHITECTURE.md's (Numerics)
 * (float32: rtol 1e-5 / atol 1e-6 element-wise, rtol 1e-4 / atol 1e-5 for reductions, matmul and
 * convolutions; float64: 1e-10; integers and bools exact).
 *
 * @example
 * ```ts
 * import { crossTolerance } from '@tensorgrad/crosscheck';
 * crossTolerance('float32', 'reduction'); // { rtol: 1e-4, atol: 1e-5 }
 * crossTolerance('int32', 'reduction'); // { rtol: 0, atol: 0 }
 * ```
 */
export function crossTolerance(dtype: DType, kind: ToleranceKind): Tolerance {
  return toleranceFor(dtype, kind);
}

/** How far one tensor of backend `b` is from backend `a`'s. */
export interface Discrepancy {
  /** The largest `|b − a|` over finite elements (0 when exact). */
  maxAbs: number;
  /** The largest `|b − a| / |a|` over elements with `|a| > atol` (where a relative error means something). */
  maxRel: number;
  /**
   * The largest `|b − a| / (atol + rtol·|a|)`: ≤ 1 within tolerance; `Infinity` for a NaN, an
   * infinity or an integer that does not match, or a shape or dtype mismatch.
   */
  ratio: number;
  /** Elements beyond the tolerance. */
  bad: number;
  /** `null` when within tolerance, else what is wrong: the first bad element, both values and the bound. */
  message: string | null;
}

/**
 * Compares backend `b`'s tensor with backend `a`'s (the reference) at `tol`: NaN must meet NaN,
 * infinities and integers must be exact, floats within `atol + rtol·|a|`.
 *
 * @example
 * ```ts
 * import { discrepancy } from '@tensorgrad/crosscheck';
 * const a = { shape: [2], dtype: 'float32' as const, data: [1, 2] };
 * const b = { shape: [2], dtype: 'float32' as const, data: [1, 2.001] };
 * const d = discrepancy(a, b, { rtol: 1e-5, atol: 1e-6 });
 * [d.maxAbs.toFixed(4), d.bad]; // ['0.0010', 1]
 * ```
 */
export function discrepancy(a: HostTensor, b: HostTensor, tol: Tolerance): Discrepancy {
  if (a.dtype !== b.dtype) return { maxAbs: Infinity, maxRel: Infinity, ratio: Infinity, bad: 1, message: `dtype is ${b.dtype}, expected ${a.dtype}` };
  const sa = `[${a.shape.join(', ')}]`;
  const sb = `[${b.shape.join(', ')}]`;
  if (sa !== sb || a.data.length !== b.data.length) {
    return { maxAbs: Infinity, maxRel: Infinity, ratio: Infinity, bad: 1, message: `shape is ${sb}, expected ${sa}` };
  }
  const exact = !isFloating(a.dtype);
  let maxAbs = 0;
  let maxRel = 0;
  let ratio = 0;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(b.data[i]);
    let r: number;
    if (Number.isNaN(x) || Number.isNaN(y)) r = Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity;
    else if (!Number.isFinite(x) || !Number.isFinite(y)) r = x === y ? 0 : Infinity;
    else {
      const d = Math.abs(y - x);
      maxAbs = Math.max(maxAbs, d);
      if (Math.abs(x) > tol.atol) maxRel = Math.max(maxRel, d / Math.abs(x));
      const bound = exact ? 0 : tol.atol + tol.rtol * Math.abs(x);
      r = d === 0 ? 0 : bound > 0 ? d / bound : Infinity;
    }
    if (r > ratio) ratio = r;
    if (r > 1) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (first < 0) return { maxAbs, maxRel, ratio, bad, message: null };
  const x = Number(a.data[first]);
  const y = Number(b.data[first]);
  const where = a.shape.length ? ` [${unravel(first, a.shape).join(', ')}]` : '';
  const diff = Number.isFinite(x) && Number.isFinite(y) ? `, |diff| ${fmt(Math.abs(y - x))} > ${fmt(tol.atol + tol.rtol * Math.abs(x))}` : '';
  return { maxAbs, maxRel, ratio, bad, message: `element ${first}${where}: a ${x}, b ${y}${diff} (rtol ${tol.rtol}, atol ${tol.atol}); ${bad} of ${a.data.length} elements differ` };
}

/**
 * A number in 3 significant digits for tables (`0` for zero, exponent form below 1e-3).
 *
 * @example
 * ```ts
 * import { fmt } from '@tensorgrad/crosscheck';
 * [fmt(0), fmt(1.23456e-7), fmt(0.5), fmt(Infinity)]; // ['0', '1.23e-7', '0.500', 'inf']
 * ```
 */
export function fmt(x: number): string {
  if (x === 0) return '0';
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e5) return x.toExponential(2).replace('e+', 'e');
  return x.toPrecision(3);
}
