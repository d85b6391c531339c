import { Tensor } from '../tensor.js';
import { argExtremum } from './extremum.js';

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
  return argExtremum('argmin', input, args);
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
