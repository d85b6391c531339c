/** The element types a tensor can hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Every dtype, in promotion order (`bool` < `int32` < `float32` < `float64`). */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** The typed array that stores each dtype (`bool` is stored as 0/1 bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Maps a dtype to the typed array holding its elements. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/**
 * Allocates a zero-filled typed array for `size` elements of `dtype`.
 *
 * @example
 * ```ts
 * import { allocArray } from '@tensorgrad/tensor';
 * const a = allocArray('int32', 3); // Int32Array [0, 0, 0]
 * ```
 */
export function allocArray<D extends DType>(dtype: D, size: number): DTypeArrayMap[D] {
  return new CTORS[dtype](size) as DTypeArrayMap[D];
}

/**
 * Whether `value` names a dtype.
 *
 * @example
 * ```ts
 * import { isDType } from '@tensorgrad/tensor';
 * isDType('float64'); // true
 * isDType('cpu'); // false
 * ```
 */
export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'float64' || value === 'int32' || value === 'bool';
}

/**
 * Whether `dtype` is a floating-point type.
 *
 * @example
 * ```ts
 * import { isFloating } from '@tensorgrad/tensor';
 * isFloating('float32'); // true
 * ```
 */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * Bytes per element of `dtype`.
 *
 * @example
 * ```ts
 * import { bytesPerElement } from '@tensorgrad/tensor';
 * bytesPerElement('float64'); // 8
 * ```
 */
export function bytesPerElement(dtype: DType): number {
  return CTORS[dtype].BYTES_PER_ELEMENT;
}

/**
 * PyTorch's type promotion for two tensor operands.
 *
 * @example
 * ```ts
 * import { promoteTypes } from '@tensorgrad/tensor';
 * promoteTypes('int32', 'float32'); // 'float32'
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/**
 * PyTorch's promotion of a tensor dtype with a JavaScript number (a "wrapped scalar"):
 * the tensor's dtype wins unless the number is not an integer and the tensor is not floating,
 * in which case the default float dtype is used.
 *
 * @example
 * ```ts
 * import { promoteWithScalar } from '@tensorgrad/tensor';
 * promoteWithScalar('int32', 2); // 'int32'
 * promoteWithScalar('int32', 2.5); // 'float32'
 * ```
 */
export function promoteWithScalar(dtype: DType, scalar: number | boolean): DType {
  if (typeof scalar === 'boolean') return dtype;
  if (isFloating(dtype)) return dtype;
  if (!Number.isInteger(scalar)) return 'float32';
  return dtype === 'bool' ? 'int32' : dtype;
}
