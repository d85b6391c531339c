import { fromTypedArray, stack, tensor, tidy, Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';

const DEFAULT_COLLATE = signature('defaultCollate', ['batch'], { required: 1 });

/**
 * The type {@link defaultCollate} turns a batch of samples of type `T` into: tensors and numbers
 * become one tensor with a leading batch dimension, strings a list, and tuples, arrays and plain
 * objects keep their structure with every field collated.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends Float32Array | Float64Array | Int32Array
      ? Tensor
      : T extends string
        ? string[]
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Collated<T[K]> }
          : T extends object
            ? { -readonly [K in keyof T]: Collated<T[K]> }
            : never;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

function collateAt(batch: readonly unknown[], path: string): unknown {
  const elem = batch[0];
  const where = path ? ` at ${path}` : '';
  if (elem instanceof Tensor) {
    batch.forEach((b, i) => {
      if (!(b instanceof Tensor)) {
        throw new TypeError(`defaultCollate: sample 0 has a Tensor${where} but sample ${i} has ${describe(b)}; every sample must have the same structure`);
      }
    });
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === 'number' || typeof elem === 'boolean') {
    const kind = typeof elem;
    batch.forEach((b, i) => {
      if (typeof b !== kind) {
        throw new TypeError(`defaultCollate: sample 0 has a ${kind}${where} but sample ${i} has ${describe(b)}; every sample must have the same structure`);
      }
    });
    if (kind === 'boolean') return tensor(batch as boolean[], { dtype: 'bool' });
    const nums = batch as number[];
    return tensor(nums, { dtype: nums.every((n) => Number.isInteger(n)) ? 'int32' : 'float64' });
  }
  if (typeof elem === 'string') return [...(batch as string[])];
  if (elem instanceof Float32Array || elem instanceof Float64Array || elem instanceof Int32Array) {
    const Ctor = elem.constructor as Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor;
    const n = elem.length;
    const out = new Ctor(batch.length * n);
    batch.forEach((b, i) => {
      if (!(b instanceof Ctor) || b.length !== n) {
        throw new TypeError(
          `defaultCollate: sample 0 has a ${Ctor.name} of length ${n}${where} but sample ${i} has ${describe(b)}${
            ArrayBuffer.isView(b) ? ` of length ${(b as Float32Array).length}` : ''
          }; every sample must have the same structure`,
        );
      }
      out.set(b as never, i * n);
    });
    return fromTypedArray(out, [batch.length, n]);
  }
  if (Array.isArray(elem)) {
    const n = elem.length;
    batch.forEach((b, i) => {
      if (!Array.isArray(b) || b.length !== n) {
        throw new RangeError(
          `defaultCollate: each element in the batch should be of equal size: sample 0 has a list of ${n} elements${where} but sample ${i} has ${
            Array.isArray(b) ? `${b.length} elements` : describe(b)
          }`,
        );
      }
    });
    return elem.map((_, j) => collateAt(batch.map((b) => (b as unknown[])[j]), `${path}[${j}]`));
  }
  if (elem !== null && typeof elem === 'object' && Object.getPrototypeOf(elem) === Object.prototype) {
    const keys = Object.keys(elem);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      out[k] = collateAt(
        batch.map((b, i) => {
          if (b === null || typeof b !== 'object' || !(k in b)) {
            throw new TypeError(`defaultCollate: sample 0 has a key '${k}'${where} that sample ${i} lacks; every sample must have the same keys`);
          }
          return (b as Record<string, unknown>)[k];
        }),
        path ? `${path}.${k}` : k,
      );
    }
    return out;
  }
  throw new TypeError(
    `defaultCollate: batch must contain tensors, numbers, booleans, strings, Float32Array/Float64Array/Int32Array, arrays or plain objects; found ${describe(elem)}${where}. Pass your own collateFn to the DataLoader for other types`,
  );
}

/**
 * PyTorch's `default_collate`: merges a list of samples into a batch. Tensors are stacked along a
 * new first dimension; numbers become one tensor (int32 when every number is an integer, float64
 * otherwise, since JavaScript cannot tell `1` from `1.0`; PyTorch gives int64/float64); booleans a
 * bool tensor; `Float32Array`/`Float64Array`/`Int32Array`s a `[batch, length]` tensor; strings
 * stay a list; tuples/arrays and plain objects are collated field by field, keeping their
 * structure (a batch of `[image, label]` pairs becomes `[images, labels]`).
 *
 * The caller owns the returned tensors; the samples are not disposed, and nothing leaks when a
 * sample is rejected.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { defaultCollate } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const [x, y] = defaultCollate([
 *   [tensor([1, 2]), 0],
 *   [tensor([3, 4]), 1],
 * ]);
 * await x.array(); // [[1, 2], [3, 4]]
 * await y.array(); // [0, 1]
 * y.dtype; // 'int32'
 * ```
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T>;
export function defaultCollate<T>(...args: unknown[]): Collated<T> {
  const batch = parseArgs(DEFAULT_COLLATE, args).batch as readonly T[];
  if (!Array.isArray(batch)) throw new TypeError(`defaultCollate: expected an array of samples, got ${describe(batch)}`);
  if (batch.length === 0) throw new RangeError('defaultCollate: expected a non-empty batch of samples, got an empty array');
  // tidy frees the tensors of the fields already collated when a later field is rejected
  return tidy(() => collateAt(batch, '')) as Collated<T>;
}
