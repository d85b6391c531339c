import { resolveGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { fillNormal, floatingDType, type RandomOptions } from './rand.js';
import { createFilled, likeArgs, creationOptions } from './tensor.js';

/**
 * Standard normal random numbers with the shape of `input` (and its dtype and backend unless
 * given; the dtype must be floating).
 *
 * @example
 * ```ts
 * import { zeros, randnLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * randnLike(zeros([3], { dtype: 'float64' })).dtype; // 'float64'
 * ```
 */
export function randnLike(input: Tensor, options?: RandomOptions): Tensor;
export function randnLike(input: Tensor, ...rest: unknown[]): Tensor {
  const options = creationOptions<RandomOptions>('randnLike', rest, true);
  const a = likeArgs('randnLike', input, options);
  floatingDType('randnLike', a.dtype);
  const g = resolveGenerator('randnLike', options.generator);
  return createFilled('randnLike', a.shape, a.dtype, a.options, (d) => fillNormal(d, g));
}
