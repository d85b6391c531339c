import { fromTypedArray, indexSelect, select, tidy, Tensor } from '@tensorgrad/tensor';
import { bindWithDataset, checkOptionKeys, isOptionsObject, parseArgs, signature } from './args.js';

const CHECK_INDEX = signature('checkIndex', ['owner', 'index', 'length'], { required: 3 });
const CHECK_DATASET = signature('checkDataset', ['op', 'dataset'], { required: 1 });
const SUBSET = signature('new Subset', ['dataset', 'indices'], { required: 2 });

/**
 * Normalises a Python-style index (negative counts from the end) into `[0, length)`.
 * @internal
 */
export function checkIndex(owner: string, index: number, length: number): number;
export function checkIndex(...args: unknown[]): number {
  const a = parseArgs(CHECK_INDEX, args);
  const owner = String(a.owner);
  const index = a.index as number;
  const length = a.length as number;
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    throw new TypeError(`${owner}.get: expected an integer index, got ${typeof index === 'number' ? index : typeof index}`);
  }
  const i = index < 0 ? index + length : index;
  if (i < 0 || i >= length) {
    throw new RangeError(`${owner}.get: index ${index} is out of range for a dataset of length ${length}; expected -${length} <= index < ${length}`);
  }
  return i;
}

/**
 * A map-style dataset, PyTorch's `torch.utils.data.Dataset`: `length` samples read by `get(i)`.
 * Subclass it (or pass any object with `length` and `get`) and hand it to a {@link DataLoader}.
 *
 * Ownership: tensors that `get` creates belong to the caller (the DataLoader frees them once it has
 * collated a batch). A dataset that caches tensors it creates lazily must `keep()` them.
 *
 * A dataset may also implement `getBatch(indices)`, returning the already collated batch of those
 * samples (what {@link defaultCollate} would build from them, as new tensors the caller owns); the
 * DataLoader then uses it instead of `get` + `defaultCollate` when no `collateFn` is given.
 * {@link TensorDataset} does so with one `indexSelect` per tensor.
 *
 * `get` may also return a Promise (an asynchronous dataset, e.g. one that decodes image files:
 * `class Images extends Dataset<Promise<[Tensor, number]>>` with an `async get(i)`); a
 * {@link DataLoader} iterated with `for await` then awaits the samples and loads batches ahead.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { Dataset } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * class Squares extends Dataset<[number, number]> {
 *   get length() { return 4; }
 *   get(i: number): [number, number] { return [i, i * i]; }
 * }
 * const ds = new Squares();
 * ds.length; // 4
 * ds.get(3); // [3, 9]
 * ```
 */
export abstract class Dataset<T> {
  /** PyTorch's `Dataset()` takes no arguments; a subclass without a constructor of its own refuses any. */
  constructor(...args: []) {
    parseArgs(signature(`new ${new.target.name}`, []), args);
  }
  /** The number of samples. */
  abstract get length(): number;
  /** The sample at `index` (`0 <= index < length`); a Promise of it for an asynchronous dataset (`T = Promise<…>`). */
  abstract get(index: number): T;
  /** Optional fast path: the collated batch of the samples at `indices` (see the class docs). */
  getBatch?(indices: readonly number[]): unknown;
}

/** Anything the DataLoader can read: a {@link Dataset} or an object with `length` and `get(i)`. */
export interface DatasetLike<T> {
  /** The number of samples. */
  readonly length: number;
  /** The sample at `index`. */
  get(index: number): T;
  /** Optional fast path returning the collated batch of the samples at `indices`. */
  getBatch?(indices: readonly number[]): unknown;
}

/**
 * Validates a dataset argument.
 * @internal
 */
export function checkDataset(op: string, dataset: unknown): void;
export function checkDataset(...args: unknown[]): void {
  const a = bindWithDataset(CHECK_DATASET, args, 1);
  const op = String(a.op);
  const d = a.dataset as DatasetLike<unknown> | null | undefined;
  if (d === null || typeof d !== 'object' || typeof d.get !== 'function') {
    throw new TypeError(`${op}: expected a dataset (an object with a length and a get(i) method, e.g. a TensorDataset), got ${d === null ? 'null' : typeof d}`);
  }
  if (!Number.isInteger(d.length) || d.length < 0) {
    throw new TypeError(`${op}: expected the dataset's length to be a non-negative integer, got ${String(d.length)}`);
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`); what
 * {@link randomSplit} returns. `getBatch` is forwarded when the wrapped dataset has one.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { Subset, TensorDataset } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const ds = new TensorDataset(tensor([10, 20, 30, 40]));
 * const sub = new Subset(ds, [3, 1]);
 * sub.length; // 2
 * const [x] = sub.get(0);
 * await x.item(); // 40
 * ```
 */
export class Subset<T> extends Dataset<T> {
  /** The wrapped dataset. */
  readonly dataset: DatasetLike<T>;
  /** The indices into `dataset`, in order. */
  readonly indices: readonly number[];

  /** Wraps `dataset`, exposing the samples at `indices` (PyTorch's `Subset(dataset, indices)`). */
  constructor(dataset: DatasetLike<T>, indices: readonly number[]);
  constructor(options: { dataset: DatasetLike<T>; indices: readonly number[] });
  constructor(...args: unknown[]) {
    super();
    const a = bindWithDataset(SUBSET, args, 0);
    const dataset = a.dataset as DatasetLike<T>;
    const indices = a.indices as readonly number[];
    checkDataset('Subset', dataset);
    if (!Array.isArray(indices)) {
      throw new TypeError(`Subset: expected an array of integer indices as the second argument, got ${indices === null ? 'null' : typeof indices}; pass e.g. new Subset(dataset, [0, 1, 2]) (convert a tensor with await t.array())`);
    }
    indices.forEach((ix, k) => {
      if (!Number.isInteger(ix) || ix < -dataset.length || ix >= dataset.length) {
        throw new RangeError(`Subset: index ${ix} at position ${k} is out of range for a dataset of length ${dataset.length}`);
      }
    });
    this.dataset = dataset;
    this.indices = indices.map((ix) => (ix < 0 ? ix + dataset.length : ix));
    if (typeof dataset.getBatch === 'function') {
      this.getBatch = (ids: readonly number[]): unknown => dataset.getBatch!(ids.map((i) => this.indices[checkIndex('Subset', i, this.indices.length)]!));
    }
  }

  /** The number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** The sample `dataset.get(indices[index])`. */
  get(index: number): T {
    return this.dataset.get(this.indices[checkIndex('Subset', index, this.indices.length)]!);
  }
}

/** The row type of a {@link TensorDataset}: one tensor per wrapped tensor. */
export type TensorRow<T extends readonly Tensor[]> = { -readonly [K in keyof T]: Tensor };

/**
 * A dataset of tensors sharing their first dimension (PyTorch's `TensorDataset`): sample `i` is
 * `[t0[i], t1[i], …]` (views, no copy). Batches from a {@link DataLoader} with the default collate
 * are built with one `indexSelect` per tensor instead of stacking single rows. The dataset does not
 * own the tensors: dispose them yourself when done.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { TensorDataset } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * const y = tensor([0, 1, 0], { dtype: 'int32' });
 * const ds = new TensorDataset(x, y);
 * ds.length; // 3
 * const [xi, yi] = ds.get(1);
 * await xi.array(); // [3, 4]
 * await yi.item(); // 1
 * ```
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<TensorRow<T>> {
  /** The wrapped tensors. */
  readonly tensors: T;

  /** Wraps tensors whose first dimensions are equal (PyTorch's `TensorDataset(*tensors)`). */
  constructor(...tensors: T) {
    super();
    // like every constructor, a trailing options object is checked: TensorDataset has no options
    const last = tensors[tensors.length - 1] as unknown;
    if (isOptionsObject(last)) {
      checkOptionKeys('new TensorDataset', last, []);
      tensors = tensors.slice(0, -1) as T;
    }
    if (tensors.length === 0) throw new RangeError('TensorDataset: expected at least one tensor, got none');
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) {
        throw new TypeError(`TensorDataset: expected every argument to be a Tensor, got ${t === null ? 'null' : Array.isArray(t) ? 'an array' : typeof t} as argument ${k}; convert data with tensor(...) first (new TensorDataset(tensor(xs), tensor(ys)))`);
      }
      if (t.isDisposed) throw new Error(`TensorDataset: tensor ${k} is disposed`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${k} is 0-d; every tensor needs a first (sample) dimension`);
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, k) => {
      if (t.shape[0] !== n) {
        throw new RangeError(
          `TensorDataset: size mismatch between tensors: tensor 0 has ${n} samples (shape [${tensors[0]!.shape.join(', ')}]) but tensor ${k} has ${t.shape[0]} (shape [${t.shape.join(', ')}]); every tensor must have the same first dimension`,
        );
      }
    });
    this.tensors = tensors;
  }

  /** The common first dimension. */
  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /** Row `index` of every tensor (views the caller owns; negative indices count from the end). */
  get(index: number): TensorRow<T> {
    const i = checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => select(t, 0, i)) as TensorRow<T>;
  }

  /**
   * The rows at `indices` of every tensor, gathered with `indexSelect` (new tensors the caller
   * owns): the same values as stacking `get(i)` for each index.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import { TensorDataset } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * const ds = new TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]));
   * const [x] = ds.getBatch([2, 0]);
   * await x.array(); // [[5, 6], [1, 2]]
   * ```
   */
  override getBatch(indices: readonly number[]): TensorRow<T> {
    const n = this.length;
    const idx = Int32Array.from(indices, (i) => checkIndex('TensorDataset', i, n));
    // tidy frees the index tensors, and the rows already gathered if a later tensor fails
    return tidy(() => {
      const byBackend = new Map<string, Tensor>();
      return this.tensors.map((t) => {
        let index = byBackend.get(t.backend);
        if (!index) {
          index = fromTypedArray(idx, [idx.length], { backend: t.backend });
          byBackend.set(t.backend, index);
        }
        return indexSelect(t, index, { dim: 0 });
      });
    }) as TensorRow<T>;
  }
}
