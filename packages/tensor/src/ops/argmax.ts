import { Tensor } from '../tensor.js';
import { argExtremum } from './extremum.js';

/** Options of {@link argmax}. */
export interface ArgmaxOptions {
  /** The dim to reduce; absent = the index into the flattened tensor. */
  dim?: number | null;
  /** Keep reduced dims with size 1. Default false. */
  keepdim?: boolean;
}

/**
 * Index of the largest element (int32, not differentiable): without `dim` the index into the
 * flattened tensor (a 0-d tensor), with `dim` the indices along it. Ties give the first
 * occurrence and NaN counts as the largest, as in PyTorch.
 *
 * @example
 * ```ts
 * import { tensor, argmax } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 5, 2], [7, 0, 7]]);
 * await argmax(x).item(); // 3
 * await x.argmax(1).array(); // [1, 0]
 * await argmax(x, { dim: 0, keepdim: true }).array(); // [[1, 0, 1]]
 * ```
 */
export function argmax(input: Tensor, options?: ArgmaxOptions): Tensor;
export function argmax(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor;
export function argmax(input: Tensor, ...args: unknown[]): Tensor {
  return argExtremum('argmax', input, args);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link argmax}: `x.argmax()`, `x.argmax(1)`, `x.argmax(1, true)`, `x.argmax({ dim: 1 })`. */
    argmax(options?: ArgmaxOptions): Tensor;
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
  }
}
Tensor.prototype.argmax = function (this: Tensor, ...args: unknown[]): Tensor {
  return (argmax as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
