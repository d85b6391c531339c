import { assertTensor, kernelFor, kernelTensor, record, wrapResult } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { MaxOptions, MaxResult } from './max.js';

/** The result of {@link min} with a `dim`: the smallest values and their int32 indices. */
export type MinResult = MaxResult;

/** Options of {@link min} with a dim. */
export type MinOptions = MaxOptions;

function minimum(input: Tensor, args: readonly unknown[]): Tensor | MinResult {
  assertTensor('min', input);
  let dimArg: unknown = args[0];
  let keepdim: unknown = args[1] ?? false;
  if (dimArg instanceof Tensor) {
    throw new TypeError('min: the element-wise form min(a, b) is not supported; use where(a.le(b), a, b)');
  }
  if (typeof dimArg === 'object' && dimArg !== null && !Array.isArray(dimArg)) {
    const o = dimArg as Partial<MinOptions>;
    dimArg = o.dim;
    keepdim = o.keepdim ?? false;
  }
  if (typeof keepdim !== 'boolean') throw new TypeError(`min: expected keepdim to be a boolean, got ${String(keepdim)}`);
  const backend = input.backendInstance;
  const kernel = kernelFor('min', backend, 'min', input.dtype);
  if (dimArg === undefined || dimArg === null) {
    if (input.numel() === 0) {
      throw new RangeError(
        `min: cannot reduce an empty tensor (shape ${formatShape(input.shape)}) without a dim; pass a dim whose size is non-zero, e.g. min(x, { dim: 1 })`,
      );
    }
    const [v, i] = kernel(kernelTensor(input), { dim: null, keepdim: false });
    backend.free(i.handle);
    const values = wrapResult(backend, v);
    record('min', [input], { dim: null, keepdim: false }, [values]);
    return values;
  }
  if (typeof dimArg !== 'number') {
    throw new TypeError(`min: expected dim to be an integer (one dim), got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
  }
  const dim = normalizeDim('min', dimArg, input.ndim);
  if (input.ndim > 0 && input.shape[dim] === 0) {
    throw new RangeError(`min: expected reduction dim ${dim} to have non-zero size, got shape ${formatShape(input.shape)}`);
  }
  const [v, i] = kernel(kernelTensor(input), { dim, keepdim });
  const values = wrapResult(backend, v);
  const indices = wrapResult(backend, i);
  record('min', [input], { dim, keepdim }, [values, indices]);
  return { values, indices };
}

/**
 * The smallest element (a 0-d tensor), or with a `dim` the smallest values along it and their
 * indices, `{ values, indices }` (indices int32, the first occurrence on ties). NaN propagates as
 * in PyTorch. Gradients flow to the selected elements; without a dim they are shared evenly
 * among all elements equal to the minimum.
 *
 * @example
 * ```ts
 * import { tensor, min } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 5, 2], [7, 0, 0]]);
 * await min(x).item(); // 0
 * const { values, indices } = x.min(1);
 * await values.array(); // [1, 0]
 * await indices.array(); // [0, 1]
 * await min(x, { dim: 0, keepdim: true }).values.array(); // [[1, 0, 0]]
 * ```
 */
export function min(input: Tensor): Tensor;
export function min(input: Tensor, dim: number, keepdim?: boolean): MinResult;
export function min(input: Tensor, options: MinOptions): MinResult;
export function min(input: Tensor, ...args: unknown[]): Tensor | MinResult {
  return minimum(input, args);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link min}: `x.min()`, `x.min(1)` → `{ values, indices }`, `x.min(1, true)`, `x.min({ dim: 1 })`. */
    min(): Tensor;
    min(dim: number, keepdim?: boolean): MinResult;
    min(options: MinOptions): MinResult;
  }
}
Tensor.prototype.min = function (this: Tensor, ...args: unknown[]): never {
  return minimum(this, args) as never;
};
