import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { valuesIndices } from '../values-indices.js';
import { sortKernel } from './sort-kernel.js';
import type { SortResult } from './sort.js';
import './narrow.js';
import './contiguous.js';

/** Options of {@link topk}. */
export interface TopkOptions {
  /** How many elements to keep (required; 0 ≤ k ≤ the size of `dim`). */
  k?: number;
  /** The dim to select along (negative counts from the end). Default -1. */
  dim?: number;
  /** The `k` largest (default) or, when false, the `k` smallest. */
  largest?: boolean;
  /**
   * Return them in sorted order (largest first, or smallest first when `largest` is false).
   * Default true; tensorgrad always returns them sorted, which PyTorch allows for `false` too.
   */
  sorted?: boolean;
}

/** `torch.topk(input, k, dim=-1, largest=True, sorted=True)`. */
const SIG = signature('topk', ['k', 'dim', 'largest', 'sorted'], { required: 1 });

/**
 * PyTorch's `torch.topk`: the `k` largest (or, with `largest: false`, smallest) elements of
 * `input` along `dim` (default the last), sorted, with their int32 positions, as PyTorch's named
 * tuple `[values, indices]` (also `.values`, `.indices`). Equal elements come in input order; NaN
 * counts as the largest value, as in PyTorch. Differentiable in `values`.
 *
 * A stable {@link sort} followed by a narrow to the first `k` positions: one sort kernel serves
 * both ops on every backend (a selection kernel would be faster for small `k` on long rows).
 *
 * @example
 * ```ts
 * import { tensor, topk } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 9, 3, 7], [4, 4, 0, 8]]);
 * const [values, indices] = topk(x, 2);
 * await values.array(); // [[9, 7], [8, 4]]
 * await indices.array(); // [[1, 3], [3, 0]]
 * await x.topk(1, 0, false).values.array(); // [[1, 4, 0, 7]]
 * await topk(x, { k: 1, largest: false }).indices.array(); // [[0], [2]]
 * ```
 */
export function topk(input: Tensor, k: number, options?: Omit<TopkOptions, 'k'>): SortResult;
export function topk(input: Tensor, k: number, dim?: number, largest?: boolean, sorted?: boolean): SortResult;
export function topk(input: Tensor, options: TopkOptions & { k: number }): SortResult;
export function topk(input: Tensor, ...args: unknown[]): SortResult {
  assertTensor('topk', input);
  const o = parseArgs(SIG, args);
  const { k } = o;
  const dimArg = o.dim ?? -1;
  const largest = o.largest ?? true;
  const sorted = o.sorted ?? true;
  if (typeof dimArg !== 'number' || !Number.isInteger(dimArg)) {
    throw new TypeError(`topk: expected dim to be an integer, got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
  }
  if (typeof largest !== 'boolean') throw new TypeError(`topk: expected largest to be a boolean, got ${String(largest)}`);
  if (typeof sorted !== 'boolean') throw new TypeError(`topk: expected sorted to be a boolean, got ${String(sorted)}`);
  const dim = normalizeDim('topk', dimArg, input.ndim);
  const size = input.ndim === 0 ? 1 : input.shape[dim]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > size) {
    throw new RangeError(
      `topk: expected k to be an integer in [0, ${size}] (the size of dim ${dim} of a tensor of shape ${formatShape(input.shape)}), got ${String(k)}; pass a smaller k`,
    );
  }
  const [values, indices] = decompose(() => {
    const s = sortKernel(input, { dim, descending: largest, stable: true });
    if (input.ndim === 0) return [s.values, s.indices];
    return [s.values.narrow(dim, 0, k).contiguous(), s.indices.narrow(dim, 0, k).contiguous()];
  });
  record('topk', [input], { k, dim, largest, sorted }, [values!, indices!]);
  return valuesIndices(values!, indices!);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link topk}: `x.topk(3)`, `x.topk(3, 0, false)`, `x.topk(3, { dim: 0 })`. */
    topk(k: number, options?: Omit<TopkOptions, 'k'>): SortResult;
    topk(k: number, dim?: number, largest?: boolean, sorted?: boolean): SortResult;
    topk(options: TopkOptions & { k: number }): SortResult;
  }
}
Tensor.prototype.topk = function (this: Tensor, ...args: unknown[]): SortResult {
  return (topk as (...a: unknown[]) => SortResult)(this, ...args);
};
