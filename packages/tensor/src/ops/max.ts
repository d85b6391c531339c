import { assertTensor, kernelFor, kernelTensor, record, wrapResult } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** The result of {@link max} (and `min`) with a `dim`: the extreme values and their int32 indices along `dim`. */
export interface MaxResult {
  /** The maximum (or minimum) along `dim`. */
  values: Tensor;
  /** Where along `dim` it was found (int32; the first occurrence on ties). */
  indices: Tensor;
}

/** Options of {@link max} (and `min`) with a dim. */
export interface MaxOptions {
  /** The dim to reduce (negative counts from the end). */
  dim: number;
  /** Keep the reduced dim with size 1. Default false. */
  keepdim?: boolean;
}

function extremum(op: 'max' | 'min', input: Tensor, args: readonly unknown[]): Tensor | MaxResult {
  assertTensor(op, input);
  let dimArg: unknown = args[0];
  let keepdim: unknown = args[1] ?? false;
  if (dimArg instanceof Tensor) {
    throw new TypeError(
      `${op}: the element-wise form ${op}(a, b) is not supported; use where(a.${op === 'max' ? 'ge' : 'le'}(b), a, b)`,
    );
  }
  if (typeof dimArg === 'object' && dimArg !== null && !Array.isArray(dimArg)) {
    const o = dimArg as Partial<MaxOptions>;
    dimArg = o.dim;
    keepdim = o.keepdim ?? false;
  }
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: expected keepdim to be a boolean, got ${String(keepdim)}`);
  const backend = input.backendInstance;
  const kernel = kernelFor(op, backend, op, input.dtype);
  if (dimArg === undefined || dimArg === null) {
    if (input.numel() === 0) {
      throw new RangeError(
        `${op}: cannot reduce an empty tensor (shape ${formatShape(input.shape)}) without a dim; pass a dim whose size is non-zero, e.g. ${op}(x, { dim: 1 })`,
      );
    }
    const [v, i] = kernel(kernelTensor(input), { dim: null, keepdim: false });
    backend.free(i.handle);
    const values = wrapResult(backend, v);
    record(op, [input], { dim: null, keepdim: false }, [values]);
    return values;
  }
  if (typeof dimArg !== 'number') {
    throw new TypeError(`${op}: expected dim to be an integer (one dim), got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
  }
  const dim = normalizeDim(op, dimArg, input.ndim);
  if (input.ndim > 0 && input.shape[dim] === 0) {
    throw new RangeError(`${op}: expected reduction dim ${dim} to have non-zero size, got shape ${formatShape(input.shape)}`);
  }
  const [v, i] = kernel(kernelTensor(input), { dim, keepdim });
  const values = wrapResult(backend, v);
  const indices = wrapResult(backend, i);
  record(op, [input], { dim, keepdim }, [values, indices]);
  return { values, indices };
}

/**
 * The largest element (a 0-d tensor), or with a `dim` the largest values along it and their
 * indices, `{ values, indices }` (indices int32, the first occurrence on ties). NaN propagates as
 * in PyTorch. Gradients flow to the selected elements; without a dim they are shared evenly
 * among all elements equal to the maximum.
 *
 * @example
 * ```ts
 * import { tensor, max } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 5, 2], [7, 0, 7]]);
 * await max(x).item(); // 7
 * const { values, indices } = x.max(1);
 * await values.array(); // [5, 7]
 * await indices.array(); // [1, 0]
 * await max(x, { dim: 0, keepdim: true }).values.array(); // [[7, 5, 7]]
 * ```
 */
export function max(input: Tensor): Tensor;
export function max(input: Tensor, dim: number, keepdim?: boolean): MaxResult;
export function max(input: Tensor, options: MaxOptions): MaxResult;
export function max(input: Tensor, ...args: unknown[]): Tensor | MaxResult {
  return extremum('max', input, args);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link max}: `x.max()`, `x.max(1)` → `{ values, indices }`, `x.max(1, true)`, `x.max({ dim: 1 })`. */
    max(): Tensor;
    max(dim: number, keepdim?: boolean): MaxResult;
    max(options: MaxOptions): MaxResult;
  }
}
Tensor.prototype.max = function (this: Tensor, ...args: unknown[]): never {
  return extremum('max', this, args) as never;
};
