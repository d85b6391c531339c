import { isOptionsObject } from '../signature.js';
import { isFloating, type TypedArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { checkShape, createFilled, creationDType, type CreationOptions, creationOptions } from './tensor.js';

function dtypeOfArray(a: TypedArray): 'float32' | 'float64' | 'int32' | 'bool' | null {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return null;
}

/**
 * Creates a tensor of `shape` (default `[array.length]`) from the elements of a typed array in
 * row-major order. The dtype is the array's (`Float32Array` float32, `Float64Array` float64,
 * `Int32Array` int32, `Uint8Array` bool) unless `options.dtype` converts it. The data is copied,
 * so the array may be reused.
 *
 * @example
 * ```ts
 * import { fromTypedArray } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const t = fromTypedArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * await t.array(); // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export function fromTypedArray(array: TypedArray, shape?: readonly number[], options?: CreationOptions): Tensor;
export function fromTypedArray(array: TypedArray, options?: CreationOptions): Tensor;
export function fromTypedArray(array: TypedArray, ...args: unknown[]): Tensor {
  // the shape is optional: fromTypedArray(array, options) leaves it out
  const [shape, ...rest] = (isOptionsObject(args[0]) ? [undefined, ...args] : args) as [readonly number[] | undefined, ...unknown[]];
  const options = creationOptions('fromTypedArray', rest);
  const own = ArrayBuffer.isView(array) ? dtypeOfArray(array) : null;
  if (!own) {
    throw new TypeError(
      `fromTypedArray: expected a Float32Array, Float64Array, Int32Array or Uint8Array, got ${
        ArrayBuffer.isView(array) ? (array as object).constructor.name : typeof array
      }; use tensor(Array.from(data)) for other arrays`,
    );
  }
  const dims = checkShape('fromTypedArray', shape ?? [array.length]);
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== array.length) {
    throw new RangeError(
      `fromTypedArray: shape [${dims.join(',')}] needs ${n} elements but the array has ${array.length}; pass a shape whose product is ${array.length}`,
    );
  }
  const dtype = creationDType('fromTypedArray', options.dtype, own);
  return createFilled('fromTypedArray', dims, dtype, options, (d) => {
    if (dtype === own) d.set(array as never);
    else if (dtype === 'bool') for (let i = 0; i < n; i++) d[i] = array[i] !== 0 ? 1 : 0;
    else if (!isFloating(dtype)) for (let i = 0; i < n; i++) d[i] = Math.trunc(array[i]!);
    else d.set(array as never);
  });
}

