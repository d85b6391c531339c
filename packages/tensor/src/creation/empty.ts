import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, parseSizeArgs, type CreationOptions } from './tensor.js';

/**
 * An uninitialised tensor in PyTorch; here its elements are zeros (typed arrays are always
 * zero-filled), but code should not rely on that. Same arguments as {@link zeros}.
 *
 * @example
 * ```ts
 * import { empty } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * empty(2, 3).shape; // [2, 3]
 * ```
 */
export function empty(shape: readonly number[], options?: CreationOptions): Tensor;
export function empty(...sizes: [...number[], CreationOptions] | number[]): Tensor;
export function empty(...args: unknown[]): Tensor {
  const { shape, options } = parseSizeArgs<CreationOptions>('empty', args);
  return createFilled('empty', shape, creationDType('empty', options.dtype, 'float32'), options);
}
