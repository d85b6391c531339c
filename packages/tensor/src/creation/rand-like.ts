import { resolveGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { fillUniform, floatingDType, type RandomOptions } from './rand.js';
import { createFilled, likeArgs, creationOptions } from './tensor.js';

/**
 * Uniform `[0, 1)` random numbers with the shape of `input` (and its dtype and backend unless
 * given; the dtype must be floating).
 *
 * @example
 * ```ts
 * import { zeros, randLike } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * randLike(zeros([2, 2])).shape; // [2, 2]
 * ```
 */
export function randLike(input: Tensor, options?: RandomOptions): Tensor;
export function randLike(input: Tensor, ...rest: unknown[]): Tensor {
  const options = creationOptions<RandomOptions>('randLike', rest, true);
  const a = likeArgs('randLike', input, options);
  floatingDType('randLike', a.dtype);
  const g = resolveGenerator('randLike', options.generator);
  return createFilled('randLike', a.shape, a.dtype, a.options, (d) => fillUniform(d, g));
}
