import { assertTensor, kernelFor, kernelTensor, wrapResult } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link argmin}. */
export interface ArgminOptions {
  /** The dim to reduce; absent = the index into the flattened tensor. */
  dim?: number | null;
  /** Keep reduced dims with size 1. Default false. */
  keepdim?: boolean;
}

/**
 * Index of the smallest element (int32, not differentiable): without `dim` the index into the
 * flattened tensor (a 0-d tensor), with `dim` the indices along it. Ties give the first
 * occurrence and NaN counts as the smallest, as in PyTorch.
 *
 * @example
 * ```ts
 * import { tensor, argmin } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 5, 2], [7, 0, 0]]);
 * await argmin(x).item(); // 4
 * await x.argmin(1).array(); // [0, 1]
 * await argmin(x, { dim: 0, keepdim: true }).array(); // [[0, 1, 1]]
 * ```
 */
export function argmin(input: Tensor, options?: ArgminOptions): Tensor;
export function argmin(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor;
export function argmin(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('argmin', input);
  let dimArg: unknown = args[0];
  let keepdim: unknown = args[1] ?? false;
  if (typeof dimArg === 'object' && dimArg !== null && !Array.isArray(dimArg)) {
    const o = dimArg as ArgminOptions;
    dimArg = o.dim;
    keepdim = o.keepdim ?? false;
  }
  if (typeof keepdim !== 'boolean') throw new TypeError(`argmin: expected keepdim to be a boolean, got ${String(keepdim)}`);
  let dim: number | null = null;
  if (dimArg === undefined || dimArg === null) {
    if (input.numel() === 0) {
      throw new RangeError(
        `argmin: cannot reduce an empty tensor (shape ${formatShape(input.shape)}) without a dim; pass a dim whose size is non-zero`,
      );
    }
  } else {
    if (typeof dimArg !== 'number') {
      throw new TypeError(`argmin: expected dim to be an integer (one dim), got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`);
    }
    dim = normalizeDim('argmin', dimArg, input.ndim);
    if (input.ndim > 0 && input.shape[dim] === 0) {
      throw new RangeError(`argmin: expected reduction dim ${dim} to have non-zero size, got shape ${formatShape(input.shape)}`);
    }
  }
  const backend = input.backendInstance;
  return wrapResult(backend, kernelFor('argmin', backend, 'argmin', input.dtype)(kernelTensor(input), { dim, keepdim }));
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link argmin}: `x.argmin()`, `x.argmin(1)`, `x.argmin(1, true)`, `x.argmin({ dim: 1 })`. */
    argmin(options?: ArgminOptions): Tensor;
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
  }
}
Tensor.prototype.argmin = function (this: Tensor, ...args: unknown[]): Tensor {
  return (argmin as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
