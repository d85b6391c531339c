import type { Tensor } from '../tensor.js';
import { createFilled, likeArgs, type CreationOptions, creationOptions } from './tensor.js';

/**
 * Ones with the shape of `input`, and its dtype and backend unless given in `options`.
 *
 * @example
 * ```ts
 * import { tensor, onesLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await onesLike(tensor([1, 2], { dtype: 'int32' })).array(); // [1, 1]
 * ```
 */
export function onesLike(input: Tensor, options?: CreationOptions): Tensor;
export function onesLike(input: Tensor, ...rest: unknown[]): Tensor {
  const options = creationOptions<CreationOptions>('onesLike', rest);
  const a = likeArgs('onesLike', input, options);
  return createFilled('onesLike', a.shape, a.dtype, a.options, (d) => d.fill(1));
}
