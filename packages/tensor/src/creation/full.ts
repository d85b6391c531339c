import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { checkShape, createFilled, creationDType, type CreationOptions, creationOptions } from './tensor.js';

/**
 * Checks a fill value and returns it as the number stored for `dtype` (bool: `!= 0`).
 * @internal
 */
export function fillValueFor(op: string, value: unknown, dtype: DType): number {
  if (typeof value === 'boolean') return Number(value);
  if (typeof value !== 'number') {
    throw new TypeError(`${op}: expected fillValue to be a number or a boolean, got ${value === null ? 'null' : typeof value}`);
  }
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  return value;
}

/**
 * A tensor of `shape` filled with `fillValue` (PyTorch's `full(size, fill_value)`). The dtype is
 * bool for a boolean value and float32 for a number (JavaScript cannot tell `3` from `3.0`; pass
 * `{ dtype: 'int32' }` for integers). Integer dtypes truncate the value toward zero.
 *
 * @example
 * ```ts
 * import { full } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await full([2, 2], 7).array(); // [[7, 7], [7, 7]]
 * full([3], true).dtype; // 'bool'
 * ```
 */
export function full(shape: readonly number[], fillValue: number | boolean, options?: CreationOptions): Tensor;
export function full(shape: readonly number[], fillValue: number | boolean, ...rest: unknown[]): Tensor {
  const options = creationOptions('full', rest);
  const dims = checkShape('full', typeof shape === 'number' ? [shape] : shape);
  const dtype = creationDType('full', options.dtype, typeof fillValue === 'boolean' ? 'bool' : 'float32');
  const v = fillValueFor('full', fillValue, dtype);
  return createFilled('full', dims, dtype, options, (a) => a.fill(v));
}
