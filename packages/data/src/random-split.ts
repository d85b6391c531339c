import { resolveGenerator, type Generator } from '@tensorgrad/tensor';
import { bindWithDataset, signature } from './args.js';
import { checkDataset, Subset, type DatasetLike } from './dataset.js';

const RANDOM_SPLIT = signature('randomSplit', ['dataset', 'lengths', 'generator'], { required: 2 });

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** The generator of the permutation (default the global one). */
  generator?: Generator;
}

/**
 * Splits a dataset into non-overlapping random subsets (PyTorch's `random_split`). `lengths` are
 * either sample counts summing to `dataset.length`, or fractions summing to 1: each gets
 * `floor(fraction * n)` samples and the remainder is handed out one by one, round-robin, from
 * the first subset on (PyTorch's rule).
 *
 * @example
 * ```ts
 * import { arange, Generator } from '@tensorgrad/tensor';
 * import { randomSplit, TensorDataset } from '@tensorgrad/data';
 * import '@tensorgrad/backend-cpu';
 * const ds = new TensorDataset(arange(10));
 * const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(42) });
 * train.length; // 8
 * val.length; // 2
 * const [a, b] = randomSplit(ds, [3, 7]);
 * [a.length, b.length]; // [3, 7]
 * // PyTorch's positional form: random_split(ds, [5, 5], generator)
 * randomSplit(ds, [5, 5], new Generator(1)).map((s) => s.length); // [5, 5]
 * ```
 */
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: readonly number[], options?: RandomSplitOptions): Subset<T>[];
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: readonly number[], generator?: Generator | null): Subset<T>[];
export function randomSplit<T>(...args: unknown[]): Subset<T>[] {
  const a = bindWithDataset(RANDOM_SPLIT, args, 0);
  const dataset = a.dataset as DatasetLike<T>;
  const lengths = a.lengths as readonly number[];
  const options: RandomSplitOptions = a.generator === undefined || a.generator === null ? {} : { generator: a.generator as Generator };
  checkDataset('randomSplit', dataset);
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new TypeError('randomSplit: expected a non-empty array of lengths (sample counts or fractions summing to 1)');
  }
  lengths.forEach((l, k) => {
    if (typeof l !== 'number' || !Number.isFinite(l) || l < 0) {
      throw new RangeError(`randomSplit: length ${k} is ${String(l)}; expected a non-negative count or fraction`);
    }
  });
  const generator = resolveGenerator('randomSplit', options.generator);
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts: number[];
  if (Math.abs(total - 1) <= 1e-9 && total <= 1 + 1e-9 && lengths.every((l) => l <= 1)) {
    counts = lengths.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]! += 1;
  } else {
    lengths.forEach((l, k) => {
      if (!Number.isInteger(l)) {
        throw new RangeError(`randomSplit: length ${k} is ${l}, not an integer; pass sample counts, or fractions that sum to 1 (these sum to ${total})`);
      }
    });
    counts = [...lengths];
  }
  const sum = counts.reduce((a, b) => a + b, 0);
  if (sum !== n) {
    throw new RangeError(
      `randomSplit: the lengths [${lengths.join(', ')}] sum to ${sum} but the dataset has ${n} samples; pass counts that sum to ${n} or fractions that sum to 1`,
    );
  }
  const perm = generator.permutation(n);
  const out: Subset<T>[] = [];
  let offset = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.slice(offset, offset + c)));
    offset += c;
  }
  return out;
}
