import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, parseSizeArgs, type CreationOptions } from './tensor.js';

/**
 * A tensor filled with zeros: `zeros([2, 3])` or `zeros(2, 3)`, optionally followed by
 * `{ dtype, requiresGrad, backend }` (default dtype float32).
 *
 * @example
 * ```ts
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await zeros([2, 2]).array(); // [[0, 0], [0, 0]]
 * zeros(2, 3, { dtype: 'int32' }).dtype; // 'int32'
 * ```
 */
export function zeros(shape: readonly number[], options?: CreationOptions): Tensor;
export function zeros(...sizes: [...number[], CreationOptions] | number[]): Tensor;
export function zeros(...args: unknown[]): Tensor {
  const { shape, options } = parseSizeArgs<CreationOptions>('zeros', args);
  return createFilled('zeros', shape, creationDType('zeros', options.dtype, 'float32'), options);
}
