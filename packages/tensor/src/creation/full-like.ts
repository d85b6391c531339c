import type { Tensor } from '../tensor.js';
import { fillValueFor } from './full.js';
import { createFilled, likeArgs, type CreationOptions, creationOptions } from './tensor.js';

/**
 * A tensor with the shape of `input` (and its dtype and backend unless given) filled with
 * `fillValue`.
 *
 * @example
 * ```ts
 * import { tensor, fullLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await fullLike(tensor([1, 2]), 5).array(); // [5, 5]
 * ```
 */
export function fullLike(input: Tensor, fillValue: number | boolean, options?: CreationOptions): Tensor;
export function fullLike(input: Tensor, fillValue: number | boolean, ...rest: unknown[]): Tensor {
  const options = creationOptions<CreationOptions>('fullLike', rest);
  const a = likeArgs('fullLike', input, options);
  const v = fillValueFor('fullLike', fillValue, a.dtype);
  return createFilled('fullLike', a.shape, a.dtype, a.options, (d) => d.fill(v));
}
