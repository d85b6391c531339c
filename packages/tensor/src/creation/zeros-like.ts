import type { Tensor } from '../tensor.js';
import { createFilled, likeArgs, type CreationOptions, creationOptions } from './tensor.js';

/**
 * Zeros with the shape of `input`, and its dtype and backend unless given in `options`.
 *
 * @example
 * ```ts
 * import { tensor, zerosLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await zerosLike(tensor([[1, 2]])).array(); // [[0, 0]]
 * ```
 */
export function zerosLike(input: Tensor, options?: CreationOptions): Tensor;
export function zerosLike(input: Tensor, ...rest: unknown[]): Tensor {
  const options = creationOptions<CreationOptions>('zerosLike', rest);
  const a = likeArgs('zerosLike', input, options);
  return createFilled('zerosLike', a.shape, a.dtype, a.options);
}
