import { Tensor } from '../tensor.js';
import { logicalReduce } from './logical-reduce.js';

/** Options of {@link any}. */
export interface AnyOptions {
  /** The dim to reduce; absent = every element. */
  dim?: number | null;
  /** Keep the reduced dim with size 1. Default false. */
  keepdim?: boolean;
}

/**
 * Whether any element is non-zero (PyTorch's `torch.any`; NaN counts as non-zero): over every element (a 0-d bool tensor) or along `dim`, keeping it with size 1 when `keepdim`. Not differentiable.
 *
 * @example
 * ```ts
 * import { tensor, any } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await any(tensor([[0, 0], [0, 3]])).item(); // true
 * await tensor([[0, 0], [0, 3]]).any(1).array(); // [false, true]
 * ```
 */
export function any(input: Tensor, options?: AnyOptions): Tensor;
export function any(input: Tensor, dim?: number | null, keepdim?: boolean): Tensor;
export function any(input: Tensor, ...args: unknown[]): Tensor {
  return logicalReduce('any', input, args);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link any}: `x.any()`, `x.any(1)`, `x.any(1, true)`, `x.any({ dim: 1 })`. */
    any(options?: AnyOptions): Tensor;
    any(dim?: number | null, keepdim?: boolean): Tensor;
  }
}
Tensor.prototype.any = function (this: Tensor, ...args: unknown[]): Tensor {
  return logicalReduce('any', this, args);
};
