import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, parseSizeArgs, type CreationOptions } from './tensor.js';

/**
 * A tensor filled with ones: `ones([2, 3])` or `ones(2, 3)`, optionally followed by
 * `{ dtype, requiresGrad, backend }` (default dtype float32).
 *
 * @example
 * ```ts
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await ones(3).array(); // [1, 1, 1]
 * await ones([2], { dtype: 'bool' }).array(); // [true, true]
 * ```
 */
export function ones(shape: readonly number[], options?: CreationOptions): Tensor;
export function ones(...sizes: [...number[], CreationOptions] | number[]): Tensor;
export function ones(...args: unknown[]): Tensor {
  const { shape, options } = parseSizeArgs<CreationOptions>('ones', args);
  return createFilled('ones', shape, creationDType('ones', options.dtype, 'float32'), options, (a) => a.fill(1));
}
