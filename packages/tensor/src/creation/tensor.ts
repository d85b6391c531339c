import { findBackendSync, getBackend, type Backend } from '../backend.js';
import { allocArray, isDType, isFloating, type DType, type TypedArray } from '../dtype.js';
import { fromArray } from '../engine.js';
import type { Tensor } from '../tensor.js';

/** Nested arrays of numbers or booleans (or a typed array), as accepted by {@link tensor}. */
export type TensorData = number | boolean | TypedArray | readonly TensorData[];

/** Options of creation functions. */
export interface CreationOptions {
  /** Element type; default float32 (bool for boolean data, the array's type for typed arrays). */
  dtype?: DType;
  /** Make the result a leaf that requires grad (floating dtypes only). */
  requiresGrad?: boolean;
  /** Backend name; default the current backend. */
  backend?: string;
}

/** @internal Resolves the backend of creation options. */
export function creationBackend(options: CreationOptions): Backend {
  return options.backend === undefined ? getBackend() : findBackendSync(options.backend);
}

/** @internal Applies `requiresGrad` from creation options. */
export function finishCreation(t: Tensor, options: CreationOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function typedDType(a: TypedArray): DType {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return 'float32';
}

/**
 * Creates a tensor from nested arrays of numbers or booleans, a single number (0-d), or a typed
 * array (1-d). The dtype is inferred (float32 for numbers, bool for booleans, the typed array's
 * own type) unless given.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]); // float32, shape [2, 2]
 * const i = tensor([1, 2], { dtype: 'int32' });
 * const w = tensor([0.5, -0.5], { requiresGrad: true });
 * x.shape; // [2, 2]
 * ```
 */
export function tensor(data: TensorData, options: CreationOptions = {}): Tensor {
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new TypeError(`tensor: unknown dtype ${String(options.dtype)}; expected one of float32, float64, int32, bool`);
  }
  const backend = creationBackend(options);
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const dtype = options.dtype ?? typedDType(src);
    const arr = allocArray(dtype, src.length);
    for (let i = 0; i < src.length; i++) arr[i] = dtype === 'bool' ? (src[i] ? 1 : 0) : src[i]!;
    return finishCreation(fromArray(backend, arr, [src.length], dtype), options);
  }
  const shape: number[] = [];
  let probe: TensorData = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0]!;
  }
  const flat: (number | boolean)[] = [];
  let sawBool = false;
  let sawNumber = false;
  const walk = (v: TensorData, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v === 'boolean') sawBool = true;
      else if (typeof v === 'number') sawNumber = true;
      else {
        throw new TypeError(
          `tensor: expected a number or boolean at index [${path.join('][')}], got ${Array.isArray(v) ? 'an array (ragged nesting)' : typeof v}`,
        );
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new RangeError(
        `tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth} (index [${path.join('][')}]) like the first row, got ${Array.isArray(v) ? v.length : typeof v}; every row must have the same length`,
      );
    }
    v.forEach((e: TensorData, i: number) => walk(e, depth + 1, [...path, i]));
  };
  walk(data, 0, []);
  const dtype: DType = options.dtype ?? (sawBool && !sawNumber ? 'bool' : 'float32');
  const arr = allocArray(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    const n = typeof v === 'boolean' ? Number(v) : v;
    arr[i] = dtype === 'bool' ? (n ? 1 : 0) : isFloating(dtype) ? n : Math.trunc(n);
  }
  return finishCreation(fromArray(backend, arr, shape, dtype), options);
}
