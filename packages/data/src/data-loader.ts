import { Generator, adopt, defaultGenerator, keep, tidy, Tensor } from '@tensorgrad/tensor';
import { defaultCollate, type Collated } from './collate.js';
import { bindWithDataset, parseArgs, refuseUnsupported, signature } from './args.js';
import { checkDataset, type DatasetLike } from './dataset.js';

const EPOCH_PERMUTATION = signature('epochPermutation', ['n', 'seed', 'epoch'], { required: 3 });
const DATA_LOADER = signature(
  'new DataLoader',
  [
    'dataset',
    'batchSize',
    'shuffle',
    'sampler',
    'batchSampler',
    'numWorkers',
    'collateFn',
    'pinMemory',
    'dropLast',
    'timeout',
    'workerInitFn',
    'multiprocessingContext',
    'generator',
    'prefetchFactor',
    'persistentWorkers',
    'pinMemoryDevice',
    'seed',
    'epoch',
  ],
  // dataset is required: checkDataset says so, naming what a dataset is
  { required: 0, keywordOnly: ['prefetchFactor', 'persistentWorkers', 'pinMemoryDevice', 'seed', 'epoch'] },
);

function checkEpoch(op: string, epoch: unknown): asserts epoch is number {
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) {
    throw new TypeError(`${op}: expected the epoch to be a non-negative integer, got ${String(epoch)}`);
  }
}

/**
 * The order in which epoch `epoch` visits `n` samples when shuffling with seed `seed`: a
 * permutation drawn from a generator seeded with `(seed · 1000003 + epoch) mod 2^64`, so it depends on the
 * seed and the epoch alone ({@link DataLoader} shuffles with it).
 *
 * @example
 * ```ts
 * import { epochPermutation } from '@tensorgrad/data';
 * const a = epochPermutation(5, 0n, 1);
 * [...a].sort(); // [0, 1, 2, 3, 4]
 * epochPermutation(5, 0n, 1).join() === a.join(); // true
 * ```
 */
export function epochPermutation(n: number, seed: bigint, epoch: number): number[];
export function epochPermutation(...args: unknown[]): number[] {
  const a = parseArgs(EPOCH_PERMUTATION, args);
  const n = a.n as number;
  const seed = a.seed as bigint;
  const epoch = a.epoch as number;
  if (typeof seed !== 'bigint') throw new TypeError(`epochPermutation: expected seed to be a bigint, got ${typeof seed}; e.g. 1n`);
  checkEpoch('epochPermutation', epoch);
  // generator seeds live in [0, 2^64) (PyTorch's range), and a 64-bit shuffle seed times the
  // multiplier does not: wrap it
  return new Generator((seed * 1_000_003n + BigInt(epoch)) % 2n ** 64n).permutation(n);
}

/** Options of {@link DataLoader} (PyTorch's keyword arguments, camelCase). */
export interface DataLoaderOptions<T, B = Collated<Awaited<T>>> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the sample order at the start of every epoch (default false). */
  shuffle?: boolean;
  /**
   * The generator the shuffle seed is drawn from, once, when the loader is created (default the
   * global one, so `manualSeed(s)` before creating the loader fixes its orders, as in PyTorch).
   */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`: a seed gives the same orders every run. */
  seed?: number | bigint;
  /**
   * The epoch the first iteration runs (default 0); later iterations run the following ones. Pass
   * the epoch to resume at (or call {@link DataLoader.setEpoch}) to get its order back without
   * replaying the earlier epochs.
   */
  epoch?: number;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Merges a list of samples into a batch (default {@link defaultCollate}). */
  collateFn?: (samples: Awaited<T>[]) => B;
  /** PyTorch's `sampler`: only `null` is accepted (use `shuffle`, `generator`/`seed`, or a `Subset`). */
  sampler?: null;
  /** PyTorch's `batch_sampler`: only `null` is accepted. */
  batchSampler?: null;
  /** PyTorch's `num_workers`: only 0 is accepted (batches are loaded in the calling thread). */
  numWorkers?: 0;
  /** PyTorch's `pin_memory`: only `false` is accepted. */
  pinMemory?: false;
  /** PyTorch's `timeout`: only 0 is accepted. */
  timeout?: 0;
  /** PyTorch's `worker_init_fn`: only `null` is accepted. */
  workerInitFn?: null;
  /** PyTorch's `multiprocessing_context`: only `null` is accepted. */
  multiprocessingContext?: null;
  /**
   * PyTorch's `prefetch_factor` (keyword-only): how many batches are loaded ahead of the one the
   * loop is working on when the dataset's `get` returns promises (default 2; `null` is the
   * default). A synchronous dataset is read batch by batch as the loop asks, whatever this is.
   */
  prefetchFactor?: number | null;
  /** PyTorch's `persistent_workers` (keyword-only): only `false` is accepted. */
  persistentWorkers?: false;
  /** PyTorch's `pin_memory_device` (keyword-only): only `''` is accepted. */
  pinMemoryDevice?: '';
}

/**
 * Iterates over a dataset in batches (PyTorch's `DataLoader`): `for await (const [x, y] of
 * loader)` (a plain `for … of` works too). Each iteration runs one epoch; with `shuffle`,
 * epoch `k` visits the samples in the order of a permutation determined by the loader's seed and
 * `k` alone: a seed drawn once from `generator` (`new Generator(seed)` with the `seed`
 * option, default the global generator) when the loader is created, like PyTorch's `DataLoader(generator=…)`. The same seed
 * therefore gives the same sequence of epochs, every epoch has a different order, and a run
 * resumed at epoch `k` (`{ epoch: k }` or {@link DataLoader.setEpoch}, as PyTorch's
 * `DistributedSampler.set_epoch`) shuffles exactly as an uninterrupted one. `length` is the
 * number of batches per epoch.
 *
 * Batches are owned by the consumer: dispose them (or build them into a `tidy`) once used, or
 * they stay in memory. Samples fetched with `dataset.get(i)` are freed once collated, unless the
 * dataset created them outside the loader (cached tensors survive). When there is no `collateFn`
 * and the dataset has `getBatch` (a {@link TensorDataset}, or a `Subset` of one), batches are
 * gathered with `indexSelect` instead of stacking single rows. A custom `collateFn` must return its
 * tensors inside tensors, arrays, plain objects or Maps (or `keep()` them): any other tensor it
 * creates is freed.
 *
 * **Asynchronous datasets.** A dataset's `get(i)` may return a Promise (a dataset that decodes
 * image files, `Dataset<Promise<[Tensor, number]>>`): iterate with `for await`, which loads
 * `prefetchFactor` batches (default 2) ahead of the one the loop is working on, so reading and
 * decoding overlap training. Such a dataset's samples belong to the loader once they arrive and
 * are freed once collated: return fresh tensors from `get` (clone a cached one). A sample whose
 * promise rejects makes the loop throw at its batch, naming the sample's index; leaving the loop
 * early starts no further reads and frees what was loaded ahead.
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
 * // PyTorch's positional form: DataLoader(dataset, 2, True)
 * new DataLoader(new TensorDataset(x, y), 2, true).batchSize; // 2
 * ```
 */
export class DataLoader<T, B = Collated<Awaited<T>>> implements AsyncIterable<B>, Iterable<B> {
  /** The dataset batches are drawn from. */
  readonly dataset: DatasetLike<T>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether every epoch is shuffled. */
  readonly shuffle: boolean;
  /** Whether an incomplete last batch is dropped. */
  readonly dropLast: boolean;
  /** The generator the shuffle seed was drawn from (`new Generator(seed)` when `seed` was given). */
  readonly generator: Generator;
  /** The seed of the shuffles: epoch `k`'s order is determined by it and `k`. */
  readonly shuffleSeed: bigint;
  #epoch: number;
  /** The collate function, or `undefined` for the default one. */
  readonly collateFn: ((samples: Awaited<T>[]) => B) | undefined;
  /** Batches loaded ahead of the one being used, for a dataset whose `get` returns promises. */
  readonly prefetchFactor: number;
  /** Whether the dataset's get has answered with promises (or is an async function). */
  #async = false;

  /** Creates a loader over `dataset`, PyTorch's keyword arguments by name… */
  constructor(dataset: DatasetLike<T>, options?: DataLoaderOptions<T, B>);
  /** …or the batch size positionally and the rest by name… */
  constructor(dataset: DatasetLike<T>, batchSize: number, options?: DataLoaderOptions<T, B>);
  /**
   * …or positionally in PyTorch's order: `batchSize, shuffle, sampler, batchSampler, numWorkers,
   * collateFn, pinMemory, dropLast, timeout, workerInitFn, multiprocessingContext, generator`.
   */
  constructor(
    dataset: DatasetLike<T>,
    batchSize?: number,
    shuffle?: boolean | null,
    sampler?: null,
    batchSampler?: null,
    numWorkers?: 0,
    collateFn?: ((samples: Awaited<T>[]) => B) | null,
    pinMemory?: false,
    dropLast?: boolean,
    timeout?: 0,
    workerInitFn?: null,
    multiprocessingContext?: null,
    generator?: Generator | null,
    options?: DataLoaderOptions<T, B>,
  );
  constructor(...args: unknown[]) {
    const a = bindWithDataset(DATA_LOADER, args, 0);
    const dataset = a.dataset as DatasetLike<T>;
    checkDataset('DataLoader', dataset);
    const no = (param: string, accepted: readonly unknown[], fix: string): void => refuseUnsupported('DataLoader', param, a[param as keyof typeof a], accepted, fix);
    no('sampler', [null], 'shuffle with { shuffle: true } (and generator or seed), or draw from a Subset(dataset, indices)');
    no('batchSampler', [null], 'use batchSize, shuffle and dropLast, or a Subset');
    no('numWorkers', [0], 'batches are built in the calling thread; drop numWorkers');
    no('pinMemory', [false], 'there is no pinned host memory; drop pinMemory');
    no('timeout', [0], 'there are no workers to wait for; drop timeout');
    no('workerInitFn', [null], 'there are no workers; drop workerInitFn');
    no('multiprocessingContext', [null], 'there are no workers; drop multiprocessingContext');
    no('persistentWorkers', [false], 'there are no workers; drop persistentWorkers');
    no('pinMemoryDevice', [''], 'there is no pinned host memory; drop pinMemoryDevice');
    const opt = <V>(k: keyof typeof a): V | undefined => (a[k] === null ? undefined : (a[k] as V | undefined));
    const batchSize = opt<number>('batchSize') ?? 1;
    const shuffle = opt<boolean>('shuffle') ?? false;
    const generator = opt<Generator>('generator');
    const seed = opt<number | bigint>('seed');
    const dropLast = opt<boolean>('dropLast') ?? false;
    const collateFn = opt<(samples: Awaited<T>[]) => B>('collateFn');
    const epoch = opt<number>('epoch') ?? 0;
    const prefetchFactor = opt<number>('prefetchFactor') ?? 2;
    if (typeof prefetchFactor !== 'number' || !Number.isInteger(prefetchFactor) || prefetchFactor < 1) {
      throw new RangeError(`DataLoader: prefetchFactor should be a positive integer (batches loaded ahead for a dataset whose get returns promises), got ${String(prefetchFactor)}`);
    }
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
    if (seed !== undefined && !((typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) || (typeof seed === 'bigint' && seed >= 0n))) {
      throw new TypeError(`DataLoader: seed should be a non-negative integer (number or bigint), got ${String(seed)}`);
    }
    checkEpoch('DataLoader', epoch);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator ?? (seed !== undefined ? new Generator(seed) : defaultGenerator);
    // drawn only when shuffling, so a loader that never shuffles leaves the global stream alone
    this.shuffleSeed = shuffle ? BigInt(this.generator.integer(0, 2 ** 32)) * 2n ** 21n + BigInt(this.generator.integer(0, 2 ** 21)) : 0n;
    this.#epoch = epoch;
    this.collateFn = collateFn;
    this.prefetchFactor = prefetchFactor;
  }

  /** The epoch the next iteration runs (0 at first unless the `epoch` option said otherwise). */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Makes the next iteration run epoch `epoch` (PyTorch's `DistributedSampler.set_epoch`), e.g. to
   * resume a run at the epoch it stopped at with the order an uninterrupted run would have had.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import { DataLoader, TensorDataset } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * const ds = new TensorDataset(tensor([0, 1, 2, 3, 4, 5]));
   * const run = new DataLoader(ds, { shuffle: true, seed: 1, batchSize: 6 });
   * const third = run.batchIndices(2);
   * const resumed = new DataLoader(ds, { shuffle: true, seed: 1, batchSize: 6 });
   * resumed.setEpoch(2);
   * resumed.batchIndices().join() === third.join(); // true
   * ```
   */
  setEpoch(epoch: number): void {
    checkEpoch('DataLoader.setEpoch', epoch);
    this.#epoch = epoch;
  }

  /** The number of batches per epoch: `ceil(n / batchSize)`, or `floor` with `dropLast`. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * The sample indices of epoch `epoch` (default the one the next iteration runs), in batch
   * order. It does not advance the epoch.
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
  batchIndices(epoch: number = this.#epoch): number[][] {
    checkEpoch('DataLoader.batchIndices', epoch);
    const n = this.dataset.length;
    const order = this.shuffle ? epochPermutation(n, this.shuffleSeed, epoch) : Array.from({ length: n }, (_, i) => i);
    const out: number[][] = [];
    for (let start = 0; start < n; start += this.batchSize) {
      const idx = order.slice(start, start + this.batchSize);
      if (idx.length < this.batchSize && this.dropLast) break;
      out.push(idx);
    }
    return out;
  }

  /**
   * Builds the batch of the samples at `indices`, or, when the dataset answers with promises, a
   * promise of it (an asynchronous dataset's samples are awaited, then collated).
   */
  private fetch(indices: number[]): B | Promise<B> {
    const ds = this.dataset;
    if (this.collateFn === undefined && typeof ds.getBatch === 'function') {
      const b = ds.getBatch(indices);
      return isThenable(b) ? Promise.resolve(b).then((v) => keepAll(v) as B) : (b as B);
    }
    const collate = this.collate();
    if (!this.#async && !isAsyncFunction(ds.get)) {
      let answeredWithPromises = false;
      // the samples made by get() are freed once collated; the batch is returned to the caller
      const batch = tidy(() => {
        const samples = indices.map((i) => ds.get(i) as unknown);
        if (!samples.some(isThenable)) return collate(samples as Awaited<T>[]);
        // a get() that returns promises without being an async function: tensors it made before
        // returning were in this scope, so this attempt is dropped (its samples freed when they
        // arrive) and the batch is read again as an asynchronous dataset's
        answeredWithPromises = true;
        for (const s of samples) if (isThenable(s)) Promise.resolve(s).then(disposeAll, () => {});
        return null;
      });
      if (!answeredWithPromises) return batch as B;
      this.#async = true;
    }
    const samples = indices.map((i) => {
      try {
        return ds.get(i) as unknown;
      } catch (e) {
        return Promise.reject(e);
      }
    });
    return this.#collateAsync(samples, indices, collate);
  }

  private collate(): (samples: Awaited<T>[]) => B {
    return this.collateFn ?? (defaultCollate as unknown as (samples: Awaited<T>[]) => B);
  }

  /**
   * Waits for every sample, then collates them. The samples' tensors belong to the loader from the
   * moment they arrive (kept out of any `tidy` the loop has open meanwhile) and are freed once the
   * batch is built (so an asynchronous dataset returns fresh tensors: clone a cached one); the batch is kept until it is handed to the loop. A sample that fails rejects
   * with its index, after the other samples of the batch were freed.
   */
  async #collateAsync(samples: unknown[], indices: number[], collate: (samples: Awaited<T>[]) => B): Promise<B> {
    // kept at once, promised or not: a tidy the loop has open meanwhile must not free them
    const settled = await Promise.allSettled(samples.map((s) => (isThenable(s) ? Promise.resolve(s).then(keepAll) : keepAll(s))));
    const failed = settled.findIndex((r) => r.status === 'rejected');
    const values = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    if (failed >= 0) {
      for (const v of values) disposeAll(v);
      const err = (settled[failed] as PromiseRejectedResult).reason as unknown;
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`DataLoader: dataset.get(${indices[failed]}) failed (sample ${failed} of the batch): ${why}`, { cause: err });
    }
    let batch: B;
    try {
      batch = keepAll(tidy(() => collate(values as Awaited<T>[])));
    } catch (e) {
      for (const v of values) disposeAll(v);
      throw e;
    }
    const inBatch = new Set<Tensor>();
    collectTensors(batch, inBatch);
    for (const v of values) disposeAll(v, inBatch);
    return batch;
  }

  /**
   * Iterates over one epoch synchronously: `for (const [x, y] of loader)`. A dataset whose `get`
   * returns promises needs `for await` instead.
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
    for (const indices of this.batchIndices(this.#epoch++)) {
      const batch = this.fetch(indices);
      if (isThenable(batch)) {
        // the samples arrive later: free them then, and say how to iterate instead
        batch.then(disposeAll, () => {});
        throw new TypeError(
          `DataLoader: the dataset's get(i) returned a Promise (an asynchronous dataset, e.g. one that decodes image files), which a synchronous for…of loop cannot wait for; iterate with for await (const batch of loader) inside an async function`,
        );
      }
      yield batch;
    }
  }

  /**
   * Iterates over one epoch: `for await (const [x, y] of loader)`. When the dataset's `get` returns
   * promises (files decoded asynchronously), up to `prefetchFactor` batches are loaded ahead of
   * the one the loop is working on, so decoding overlaps training: a batch's gets all start
   * together, at most `prefetchFactor + 1` batches are in flight, and batches arrive in order. A
   * sample that fails makes the loop throw, at its batch, an error naming the sample's index.
   * Leaving the loop early (`break`, an exception) starts no further gets and frees the batches
   * loaded ahead once their gets have settled. A synchronous dataset is read one batch at a time,
   * when the loop asks for it.
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
   *
   * @example
   * An asynchronous dataset: `get` returns a promise (here after a delay, as a file read would).
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import { DataLoader, Dataset } from '@tensorgrad/data';
   * import '@tensorgrad/backend-cpu';
   * class Slow extends Dataset<Promise<number>> {
   *   get length() { return 5; }
   *   async get(i: number): Promise<number> {
   *     await new Promise((r) => setTimeout(r, 5));
   *     return i * 10;
   *   }
   * }
   * const seen = [];
   * for await (const x of new DataLoader(new Slow(), { batchSize: 2, prefetchFactor: 2 })) {
   *   seen.push(await x.array());
   *   x.dispose();
   * }
   * seen; // [[0, 10], [20, 30], [40]]
   * ```
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const batches = this.batchIndices(this.#epoch++);
    const queue: Promise<B>[] = [];
    let next = 0;
    try {
      // a synchronous dataset is read on demand, as by the synchronous iterator
      while (next < batches.length) {
        const batch = this.fetch(batches[next++]!);
        if (isThenable(batch)) {
          queue.push(handled(batch));
          break;
        }
        yield batch;
      }
      // the dataset answers with promises: keep prefetchFactor batches loading ahead
      while (queue.length > 0) {
        while (queue.length <= this.prefetchFactor && next < batches.length) queue.push(handled(Promise.resolve(this.fetch(batches[next++]!))));
        const batch = await queue.shift()!;
        // the batch goes to the scope the loop is in, as a batch built on demand would
        yield adoptAll(batch);
      }
    } finally {
      // left early: no further gets; what is still loading is freed once it arrives
      await Promise.allSettled(queue.splice(0).map((p) => p.then(disposeAll)));
    }
  }
}

function isAsyncFunction(f: unknown): boolean {
  return typeof f === 'function' && f.constructor?.name === 'AsyncFunction';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

// a promise whose rejection is reported where it is awaited, not as unhandled while it waits in the queue
function handled<V>(p: Promise<V>): Promise<V> {
  p.catch(() => {});
  return p;
}

function collectTensors(v: unknown, out: Set<Tensor>, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (v instanceof Tensor) out.add(v);
  else if (Array.isArray(v)) for (const x of v) collectTensors(x, out, seen);
  else if (v instanceof Map) for (const x of v.values()) collectTensors(x, out, seen);
  else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) for (const x of Object.values(v)) collectTensors(x, out, seen);
}

function tensorsOf(v: unknown): Set<Tensor> {
  const out = new Set<Tensor>();
  collectTensors(v, out);
  return out;
}

function keepAll<V>(v: V): V {
  for (const t of tensorsOf(v)) keep(t);
  return v;
}

function adoptAll<V>(v: V): V {
  for (const t of tensorsOf(v)) adopt(t);
  return v;
}

function disposeAll(v: unknown, except?: ReadonlySet<Tensor>): void {
  for (const t of tensorsOf(v)) if (!except?.has(t) && !t.isDisposed) t.dispose();
}
