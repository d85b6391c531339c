/**
 * Comparison at the tolerances of ARCHITECTURE.md, Numerics, with messages that name the first mismatching
 * element, so a failing conformance case says what is wrong without a debugger.
 */
import { isFloating, Tensor, type DType } from '@tensorgrad/tensor';
import { goldenData, type GoldenTensor } from './golden.js';

/** `|actual - expected| <= atol + rtol * |expected|`, element by element. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** How an op's float32 results are judged: element-wise ops or reductions/matmul (accumulated rounding). */
export type ToleranceKind = 'elementwise' | 'reduction';

/** Tensor values held on the host (a reference result, or a read-back tensor). */
export interface HostTensor {
  shape: readonly number[];
  dtype: DType;
  data: ArrayLike<number>;
}

/**
 * The tolerance of ARCHITECTURE.md, Numerics for a dtype: float32 rtol 1e-5 / atol 1e-6 element-wise and rtol
 * 1e-4 for reductions and matmul; float64 1e-10; int32 and bool exact.
 *
 * @example
 * ```ts
 * import { toleranceFor } from '@tensorgrad/conformance';
 * toleranceFor('float32', 'reduction'); // { rtol: 1e-4, atol: 1e-5 }
 * ```
 */
export function toleranceFor(dtype: DType, kind: ToleranceKind = 'elementwise'): Tolerance {
  if (dtype === 'float64') return { rtol: 1e-10, atol: 1e-10 };
  if (dtype === 'float32') {
    // DESIGN gives reductions only an rtol; sums of mixed-sign terms that nearly cancel need an
    // atol of a few float32 ulps of the summands, which PyTorch's own accumulation order differs by.
    return kind === 'reduction' ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-5, atol: 1e-6 };
  }
  return { rtol: 0, atol: 0 };
}

function isGolden(x: GoldenTensor | HostTensor): x is GoldenTensor {
  // plain arrays may hold booleans and non-finite strings; typed arrays are already host values
  return Array.isArray(x.data);
}

function toHost(x: GoldenTensor | HostTensor): HostTensor {
  if (isGolden(x)) return { shape: x.shape, dtype: x.dtype, data: goldenData(x) };
  return x as HostTensor;
}

/**
 * The multi-index of flat (row-major) element `i` of a tensor of `shape`, for messages that name
 * an element.
 *
 * @example
 * ```ts
 * import { unravel } from '@tensorgrad/conformance';
 * unravel(5, [2, 3]); // [1, 2]
 * ```
 */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    idx[d] = i % s;
    i = Math.floor(i / s);
  }
  return idx;
}

/**
 * Compares two host tensors; returns `null` when they agree, else a message naming the first
 * mismatch. NaN must meet NaN, ±Infinity must be exact, dtype and shape must match.
 *
 * @example
 * ```ts
 * import { compareHost } from '@tensorgrad/conformance';
 * const a = { shape: [2], dtype: 'float32' as const, data: [1, NaN] };
 * compareHost(a, a, { rtol: 0, atol: 0 }); // null
 * ```
 */
export function compareHost(actual: HostTensor, expected: HostTensor, tol: Tolerance): string | null {
  if (actual.dtype !== expected.dtype) return `dtype is ${actual.dtype}, expected ${expected.dtype}`;
  const sa = `[${actual.shape.join(', ')}]`;
  const se = `[${expected.shape.join(', ')}]`;
  if (sa !== se) return `shape is ${sa}, expected ${se}`;
  const n = expected.data.length;
  if (actual.data.length !== n) return `has ${actual.data.length} elements, expected ${n}`;
  const exact = !isFloating(expected.dtype);
  let first = -1;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    let ok: boolean;
    if (Number.isNaN(e)) ok = Number.isNaN(a);
    else if (exact || !Number.isFinite(e)) ok = a === e;
    else ok = Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (first < 0) return null;
  const a = actual.data[first]!;
  const e = expected.data[first]!;
  const where = expected.shape.length ? ` [${unravel(first, expected.shape).join(', ')}]` : '';
  const diff = Number.isFinite(a) && Number.isFinite(e) ? `, |diff| ${Math.abs(a - e)} > ${tol.atol + tol.rtol * Math.abs(e)}` : '';
  return `element ${first}${where} is ${a}, expected ${e}${diff} (rtol ${tol.rtol}, atol ${tol.atol}); ${bad} of ${n} elements differ`;
}

/**
 * Asserts that `actual` (a tensor or host values) matches `expected` (a fixture tensor or host
 * values) at `tol`; throws an error starting with `label` and naming the first mismatch.
 *
 * @example
 * ```ts
 * import { assertClose } from '@tensorgrad/conformance';
 * import { getBackend } from '@tensorgrad/tensor';
 * import { fromArray } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const t = fromArray(getBackend(), new Float32Array([1, 2]), [2], 'float32');
 * await assertClose(t, { shape: [2], dtype: 'float32', data: [1, 2.000001] }, { rtol: 1e-5, atol: 1e-6 }, 'x');
 * t.dispose();
 * ```
 */
export async function assertClose(
  actual: Tensor | HostTensor,
  expected: GoldenTensor | HostTensor,
  tol: Tolerance,
  label: string,
): Promise<void> {
  const host: HostTensor = actual instanceof Tensor ? { shape: actual.shape, dtype: actual.dtype, data: await actual.data() } : actual;
  const msg = compareHost(host, toHost(expected), tol);
  if (msg !== null) throw new Error(`${label}: ${msg}`);
}
