import { Generator, defaultGenerator, tidy } from '@tensorgrad/tensor';
import { defaultCollate, type Collated } from './collate.js';
import { checkDataset, type DatasetLike } from './dataset.js';

/** Options of {@link DataLoader} (PyTorch's keyword arguments, camelCase). */
export interface DataLoaderOptions<T, B = Collated<T>> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the sample order at the start of every epoch (default false). */
  shuffle?: boolean;
  /** The generator that draws the shuffle permutations (default the global one). */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`: a seed gives the same order every run. */
  seed?: number | bigint;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Merges a list of samples into a batch (default {@link defaultCollate}). */
  collateFn?: (samples: T[]) => B;
}

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`): `for await (const [x, y] of
 * loader)` (a plain `for … of` works too). Each epoch (each new iteration) draws a fresh
 * permutation from the generator when `shuffle` is true, so a `seed` makes every run give the same
 * sequence of epochs. `length` is the number of batches per epoch.
 *
 * Batches are owned by the consumer: dispose them (or build them into a `tidy`) once used, or
 * they stay in memory. Samples fetched with `dataset.get(i)` are freed once collated, unless the
 * dataset created them outside the loader (cached tensors survive). When there is no `collateFn`
 * and the dataset has `getBatch` (a {@link TensorDataset}, or a `Subset` of one), batches are
 * gathered with `indexSelect` instead of stacking single rows. A custom `collateFn` must return its
 * tensors inside tensors, arrays, plain objects or Maps (or `keep()` them): any other tensor it
 * creates is freed.
 *
 * @example
 * ```ts
 * import { arange, tensor } from '@tensorgrad/tensor';
 * import { DataLoader, TensorDataset } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const x = arange(10).reshape([5, 2]);
 * const y = tensor([0, 1, 0, 1, 1], { dtype: 'int32' });
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 2 });
 * loader.length; // 3
 * const sizes = [];
 * for await (const [xb, yb] of loader) {
 *   sizes.push(xb.shape[0]);
 *   xb.dispose();
 *   yb.dispose();
 * }
 * sizes; // [2, 2, 1]
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements AsyncIterable<B>, Iterable<B> {
  /** The dataset batches are drawn from. */
  readonly dataset: DatasetLike<T>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether every epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether an incomplete last batch is dropped. */
  readonly dropLast: boolean;
  /** The generator of the shuffles. */
  readonly generator: Generator;
  /** The collate function, or `undefined` for the default one. */
  readonly collateFn: ((samples: T[]) => B) | undefined;

  /** Creates a loader over `dataset`. */
  constructor(dataset: DatasetLike<T>, options: DataLoaderOptions<T, B> = {}) {
    checkDataset('DataLoader', dataset);
    if (options === null || typeof options !== 'object') throw new TypeError(`DataLoader: expected an options object, got ${typeof options}`);
    const { batchSize = 1, shuffle = false, generator, seed, dropLast = false, collateFn } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`DataLoader: batchSize should be a positive integer, got ${String(batchSize)}`);
    }
    if (typeof shuffle !== 'boolean') throw new TypeError(`DataLoader: shuffle should be a boolean, got ${typeof shuffle}`);
    if (typeof dropLast !== 'boolean') throw new TypeError(`DataLoader: dropLast should be a boolean, got ${typeof dropLast}`);
    if (collateFn !== undefined && typeof collateFn !== 'function') {
      throw new TypeError(`DataLoader: collateFn should be a function (samples) => batch, got ${typeof collateFn}`);
    }
    if (generator !== undefined && seed !== undefined) {
      throw new TypeError('DataLoader: pass either generator or seed, not both (seed is shorthand for generator: new Generator(seed))');
    }
    if (generator !== undefined && !(generator instanceof Generator)) {
      throw new TypeError(`DataLoader: generator should be a Generator (new Generator().manualSeed(seed)), got ${typeof generator}`);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator ?? (seed !== undefined ? new Generator(seed) : defaultGenerator);
    this.collateFn = collateFn;
  }

  /** The number of batches per epoch: `ceil(n / batchSize)`, or `floor` with `dropLast`. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * The sample indices of one epoch, in batch order (draws a permutation when shuffling).
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import { DataLoader, TensorDataset } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * const loader = new DataLoader(new TensorDataset(tensor([1, 2, 3, 4, 5])), { batchSize: 2, dropLast: true });
   * loader.batchIndices(); // [[0, 1], [2, 3]]
   * ```
   */
  batchIndices(): number[][] {
    const n = this.dataset.length;
    const order = this.shuffle ? this.generator.permutation(n) : Array.from({ length: n }, (_, i) => i);
    const out: number[][] = [];
    for (let start = 0; start < n; start += this.batchSize) {
      const idx = order.slice(start, start + this.batchSize);
      if (idx.length < this.batchSize && this.dropLast) break;
      out.push(idx);
    }
    return out;
  }

  /** Builds the batch of the samples at `indices`. */
  private fetch(indices: number[]): B {
    const ds = this.dataset;
    if (this.collateFn === undefined && typeof ds.getBatch === 'function') return ds.getBatch(indices) as B;
    const collate = this.collateFn ?? (defaultCollate as unknown as (samples: T[]) => B);
    // the samples made by get() are freed once collated; the batch is returned to the caller
    return tidy(() => collate(indices.map((i) => ds.get(i))));
  }

  /**
   * Iterates over one epoch synchronously: `for (const [x, y] of loader)`.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import { DataLoader, TensorDataset } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * const loader = new DataLoader(new TensorDataset(tensor([1, 2, 3])), { batchSize: 2 });
   * const seen = [];
   * for (const [x] of loader) {
   *   seen.push(x.arraySync());
   *   x.dispose();
   * }
   * seen; // [[1, 2], [3]]
   * ```
   */
  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.batchIndices()) yield this.fetch(indices);
  }

  /**
   * Iterates over one epoch: `for await (const [x, y] of loader)`.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import { DataLoader, TensorDataset } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * const loader = new DataLoader(new TensorDataset(tensor([1, 2, 3])), { batchSize: 3 });
   * for await (const [x] of loader) {
   *   await x.array(); // [1, 2, 3]
   *   x.dispose();
   * }
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const indices of this.batchIndices()) yield this.fetch(indices);
  }
}
