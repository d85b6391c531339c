import { Tensor } from '../tensor.js';
import { logicalReduce } from './logical-reduce.js';

/** Options of {@link all}. */
export interface AllOptions {
  /** The dim to reduce; absent = every element. */
  dim?: number | null;
  /** Keep the reduced dim with size 1. Default false. */
  keepdim?: boolean;
}

/**
 * Whether every element is non-zero (PyTorch's `torch.all`; NaN counts as non-zero): over every element (a 0-d bool tensor) or along `dim`, keeping it with size 1 when `keepdim`. Not differentiable.
 *
 * @example
 * ```ts
 * import { tensor, all } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await all(tensor([[1, 2], [0, 3]])).item(); // false
 * await tensor([[1, 2], [0, 3]]).all(0, true).array(); // [[false, true]]
 * ```
 */
export function all(input: Tensor, options?: AllOptions): Tensor;
export function all(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor;
export function all(input: Tensor, ...args: unknown[]): Tensor {
  return logicalReduce('all', input, args);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link all}: `x.all()`, `x.all(1)`, `x.all(1, true)`, `x.all({ dim: 1 })`. */
    all(options?: AllOptions): Tensor;
    all(dim?: number | null, keepdim?: boolean): Tensor;
  }
}
Tensor.prototype.all = function (this: Tensor, ...args: unknown[]): Tensor {
  return logicalReduce('all', this, args);
};
