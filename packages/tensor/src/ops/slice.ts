import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link slice}: Python's `x[start:end:step]` along `dim`. */
export interface SliceOptions {
  /** The dimension to slice (default 0). */
  dim?: number;
  /** First position (default 0; negative counts from the end; clamped like Python). */
  start?: number | null;
  /** One past the last position (default: the size; negative counts from the end; clamped). */
  end?: number | null;
  /** Distance between kept positions (default 1; must be positive). */
  step?: number;
}

/** PyTorch's `x[start:end:step]` along `dim` (`aten::slice(self, dim=0, start=None, end=None, step=1)`). */
const SIG = signature('slice', ['dim', 'start', 'end', 'step']);

/**
 * A view of `input` with Python slicing `start:end:step` along `dim`: out-of-range bounds are
 * clamped, negative bounds count from the end, `step` must be positive.
 *
 * @example
 * ```ts
 * import { tensor, slice } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([0, 1, 2, 3, 4, 5]);
 * await slice(x, { start: 1, end: -1, step: 2 }).array(); // [1, 3]
 * await x.slice(0, -2).array(); // [4, 5]
 * await slice(tensor([[1, 2], [3, 4]]), { dim: 1, start: 1 }).array(); // [[2], [4]]
 * ```
 */
export function slice(input: Tensor, options?: SliceOptions): Tensor;
export function slice(input: Tensor, dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
export function slice(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('slice', input);
  const o = parseArgs(SIG, args) as SliceOptions;
  const nd = input.ndim;
  if (nd === 0) throw new RangeError('slice: cannot be applied to a 0-d tensor; it has no dimension to slice');
  for (const k of ['dim', 'start', 'end', 'step'] as const) {
    const v = o[k];
    if (v !== undefined && v !== null && !Number.isInteger(v)) throw new TypeError(`slice: expected ${k} to be an integer, got ${String(v)}`);
  }
  const dim = normalizeDim('slice', o.dim ?? 0, nd);
  const step = o.step ?? 1;
  if (step <= 0) throw new RangeError(`slice: step must be positive, got ${step}; reverse with another op instead`);
  const size = input.shape[dim]!;
  const clampIndex = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const start = clampIndex(o.start ?? 0);
  const end = Math.max(clampIndex(o.end ?? size), start);
  const length = Math.ceil((end - start) / step);
  const shape = [...input.shape];
  shape[dim] = length;
  const strides = [...input._strides];
  strides[dim] = strides[dim]! * step;
  const out = input._view(shape, strides, input._offset + (length > 0 ? start * input._strides[dim]! : 0));
  record('slice', [input], { dim, start, end, step }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link slice}: `x.slice({ dim: 1, start: 0, end: 2 })` or `x.slice(1, 0, 2)`. */
    slice(options?: SliceOptions): Tensor;
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
  }
}
Tensor.prototype.slice = function (this: Tensor, ...args: unknown[]): Tensor {
  return (slice as (...a: unknown[]) => Tensor)(this, ...args);
};
