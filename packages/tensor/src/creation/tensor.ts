import { findBackendSync, getBackend, type Backend } from '../backend.js';
import { allocArray, isDType, isFloating, type DType, type TypedArray } from '../dtype.js';
import { assertTensor, fromArray } from '../engine.js';
import { parseArgs, signature, type Signature } from '../signature.js';
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

const CREATION_KEYS = ['dtype', 'requiresGrad', 'backend'] as const;
const CREATION_UNSUPPORTED: Readonly<Record<string, string>> = {
  device: "tensorgrad places tensors by backend: pass { backend: 'cpu' } (or 'webgpu', …)",
  layout: 'only dense (strided) tensors exist',
  pinMemory: 'there is no pinned host memory; omit it',
  memoryFormat: 'tensors have one (row-major) memory format; omit it',
  out: 'results are always new tensors; assign the returned tensor',
  names: 'named tensors are not supported',
};
const signatures = new Map<string, Signature>();

/**
 * The keyword options of a creation function (`dtype`, `requiresGrad`, `backend`, and for random
 * ones `generator`), bound from its trailing arguments: an unknown key (`requires_grad` →
 * `requiresGrad`), a PyTorch option tensorgrad lacks (`device`, `layout`, …) or an extra
 * positional argument throws.
 *
 * @example
 * ```ts
 * import { creationOptions } from '@tensorgrad/tensor';
 * creationOptions('zeros', [{ dtype: 'int32' }]); // { dtype: 'int32' }
 * creationOptions('rand', [{ generator: undefined }], true); // {}
 * ```
 */
export function creationOptions<O extends CreationOptions = CreationOptions>(op: string, rest: readonly unknown[], random = false): O {
  const key = `${op}|${random}`;
  let sig = signatures.get(key);
  if (!sig) {
    const keys = random ? [...CREATION_KEYS, 'generator'] : [...CREATION_KEYS];
    sig = signature(op, keys, { keywordOnly: keys, unsupported: CREATION_UNSUPPORTED });
    signatures.set(key, sig);
  }
  return parseArgs(sig, rest) as unknown as O;
}

/** @internal Resolves the backend of creation options. */
export function creationBackend(options: CreationOptions): Backend {
  return options.backend === undefined ? getBackend() : findBackendSync(options.backend);
}

/** @internal Applies `requiresGrad` from creation options. */
export function finishCreation(t: Tensor, options: CreationOptions): Tensor {
  if (options.requiresGrad) {
    try {
      t.requiresGrad_(true);
    } catch (e) {
      t.dispose();
      throw e;
    }
  }
  return t;
}

function isTensor(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && (v as { _isTensor?: unknown })._isTensor === true;
}

function typedDType(a: TypedArray): DType {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return 'float32';
}

/**
 * Creates a tensor from nested arrays of numbers or booleans, a single number (0-d), or a typed
 * array (1-d). The dtype is inferred unless given: float32 for numbers (JavaScript cannot tell
 * `1` from `1.0`, so integer data needs `{ dtype: 'int32' }`), bool for booleans, and for typed
 * arrays their own type (`Float64Array` float64, `Int32Array` int32, `Uint8Array` bool, any
 * other float32). Ragged nesting is an error naming the offending index. Converting to an
 * integer dtype truncates toward zero; to bool is `!= 0`.
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
export function tensor(data: TensorData, options?: CreationOptions): Tensor;
export function tensor(data: TensorData, ...rest: unknown[]): Tensor {
  const options = creationOptions('tensor', rest);
  if (options.dtype !== undefined && !isDType(options.dtype)) {
    throw new TypeError(`tensor: unknown dtype ${String(options.dtype)}; expected one of float32, float64, int32, bool`);
  }
  if (isTensor(data)) {
    throw new TypeError(
      `tensor: expected nested arrays of numbers or booleans, got a Tensor (shape [${data.shape.join(', ')}], ${data.dtype}); ` +
        'to copy a tensor write t.clone() (t.detach().clone() to also drop its autograd history), and t.to(dtype) or t.to(backend) to convert or move it',
    );
  }
  const backend = creationBackend(options);
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    const dtype = options.dtype ?? typedDType(src);
    const arr = allocArray(dtype, src.length);
    for (let i = 0; i < src.length; i++) arr[i] = dtype === 'bool' ? (src[i] !== 0 ? 1 : 0) : src[i]!;
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
      else if (isTensor(v)) {
        throw new TypeError(
          `tensor: expected a number or boolean at index [${path.join('][')}], got a Tensor (shape [${v.shape.join(', ')}]); ` +
            'to combine tensors write stack([a, b]) (or cat([a, b]) to join along an existing dimension), ' +
            'to copy one write t.clone(), and to read a value write await t.item()',
        );
      } else {
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
    arr[i] = dtype === 'bool' ? (n !== 0 ? 1 : 0) : isFloating(dtype) ? n : Math.trunc(n);
  }
  return finishCreation(fromArray(backend, arr, shape, dtype), options);
}

/** A shape given either as one array (`zeros([2, 3])`) or as separate sizes (`zeros(2, 3)`). */
export type SizeArgs = readonly number[];

/**
 * Splits `(shape | ...sizes, options?)` into a validated shape and the options object.
 * @internal
 */
export function parseSizeArgs<O extends object>(op: string, args: readonly unknown[], random = false): { shape: number[]; options: O } {
  let rest = [...args];
  let options = {} as O;
  const last = rest[rest.length - 1];
  if (rest.length > 0 && typeof last === 'object' && last !== null && !Array.isArray(last) && !ArrayBuffer.isView(last)) {
    options = creationOptions(op, [last], random) as O;
    rest = rest.slice(0, -1);
  }
  let list: unknown;
  if (rest.length === 1 && (Array.isArray(rest[0]) || ArrayBuffer.isView(rest[0]))) list = Array.from(rest[0] as ArrayLike<number>);
  else list = rest;
  return { shape: checkShape(op, list), options };
}

/**
 * Validates a shape (non-negative integers).
 * @internal
 */
export function checkShape(op: string, list: unknown): number[] {
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new TypeError(
      `${op}: expected a shape of non-negative integers, as an array (${op}([2, 3])) or as separate sizes (${op}(2, 3)), got ${JSON.stringify(list)}`,
    );
  }
  return list as number[];
}

/**
 * Checks the `dtype` option of a creation function, returning it or `fallback`.
 * @internal
 */
export function creationDType(op: string, dtype: unknown, fallback: DType): DType {
  if (dtype === undefined || dtype === null) return fallback;
  if (!isDType(dtype)) throw new TypeError(`${op}: unknown dtype ${String(dtype)}; expected one of float32, float64, int32, bool`);
  return dtype;
}

/**
 * Creates a tensor of `shape`/`dtype` whose elements `fill` writes into a fresh typed array,
 * honouring `backend` and `requiresGrad` of `options`.
 * @internal
 */
export function createFilled(
  op: string,
  shape: readonly number[],
  dtype: DType,
  options: CreationOptions,
  fill?: (data: TypedArray) => void,
): Tensor {
  if (options.requiresGrad && !isFloating(dtype)) {
    throw new TypeError(`${op}: only floating-point tensors can require gradients, got dtype ${dtype}; use dtype 'float32' or 'float64'`);
  }
  const backend = creationBackend(options);
  let n = 1;
  for (const d of shape) n *= d;
  const arr = allocArray(dtype, n);
  if (fill && n > 0) fill(arr);
  return finishCreation(fromArray(backend, arr, shape, dtype), options);
}

/**
 * Checks the tensor of a `*Like` function and fills in its dtype and backend as defaults.
 * @internal
 */
export function likeArgs(op: string, input: unknown, options: CreationOptions = {}): { shape: number[]; dtype: DType; options: CreationOptions } {
  assertTensor(op, input);
  creationOptions(op, [options], 'generator' in options);
  const dtype = creationDType(op, options.dtype, input.dtype);
  return { shape: [...input.shape], dtype, options: { ...options, dtype, backend: options.backend ?? input.backend } };
}
