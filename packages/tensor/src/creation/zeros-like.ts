import type { Tensor } from '../tensor.js';
import { createFilled, likeArgs, type CreationOptions } from './tensor.js';

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
export function zerosLike(input: Tensor, options: CreationOptions = {}): Tensor {
  const a = likeArgs('zerosLike', input, options);
  return createFilled('zerosLike', a.shape, a.dtype, a.options);
}
