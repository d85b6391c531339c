/**
 * Splitting Fashion-MNIST by class for the transfer-learning experiment: pretrain on some
 * classes, transfer to the others.
 */
import { indexSelect, tensor, tidy, type Tensor } from 'tensorgrad';
import { ImageSplits } from '../chapter3/data.js';

/** Images and labels of a subset of classes. */
export interface ClassSubset {
  /** The selected images, float32 `[M, features]` (a copy). */
  x: Tensor;
  /** Their labels renumbered `0 … classes.length - 1` in the order of `classes`, int32 `[M]`. */
  y: Tensor;
}

/**
 * The images whose label is one of `classes`, in their original order, with the labels renumbered
 * to positions in `classes` (classes 5–9 become 0–4), keeping at most the first `limit` of them.
 * Throws a `RangeError` when fewer than `limit` images are there and `exact` is set.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { selectClasses } from './data.js';
 * const x = tensor([[0], [1], [2], [3], [4]]);
 * const y = tensor([7, 2, 9, 7, 1], { dtype: 'int32' });
 * const { x: xs, y: ys } = selectClasses(x, y, [7, 9]);
 * xs.arraySync(); // [[0], [2], [3]]
 * ys.arraySync(); // [0, 1, 0]
 * selectClasses(x, y, [7, 9], { limit: 2 }).y.arraySync(); // [0, 1]
 * ```
 */
export function selectClasses(x: Tensor, y: Tensor, classes: readonly number[], options: { limit?: number; exact?: boolean } = {}): ClassSubset {
  if (y.ndim !== 1 || y.dtype !== 'int32' || x.shape[0] !== y.shape[0]) {
    throw new RangeError(`selectClasses: expected int32 labels [${x.shape[0]}] for ${x.shape[0]} images, got ${y.dtype} [${y.shape.join(', ')}]`);
  }
  if (classes.length === 0 || new Set(classes).size !== classes.length) {
    throw new RangeError(`selectClasses: expected a non-empty list of distinct classes such as [5, 6, 7, 8, 9], got [${classes.join(', ')}]`);
  }
  const { limit = Infinity, exact = false } = options;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 1)) throw new RangeError(`selectClasses: expected limit to be a positive whole number, got ${String(limit)}`);
  const position = new Map(classes.map((c, i) => [c, i]));
  const labels = y.dataSync() as Int32Array;
  const picked: number[] = [];
  const renumbered: number[] = [];
  for (let i = 0; i < labels.length && picked.length < limit; i++) {
    const p = position.get(labels[i]!);
    if (p !== undefined) {
      picked.push(i);
      renumbered.push(p);
    }
  }
  if (picked.length === 0) throw new RangeError(`selectClasses: no image has one of the classes [${classes.join(', ')}] among the ${labels.length} given`);
  if (exact && limit !== Infinity && picked.length < limit) {
    throw new RangeError(`selectClasses: wanted ${limit} images of classes [${classes.join(', ')}] but only ${picked.length} are among the ${labels.length} given; use more images (--limit) or fewer`);
  }
  return tidy(() => ({ x: indexSelect(x, 0, tensor(picked, { dtype: 'int32' })), y: tensor(renumbered, { dtype: 'int32' }) }));
}

/**
 * {@link selectClasses} on both splits of an {@link ImageSplits}: the training images limited to
 * `trainLimit` (all when left out), the validation images all.
 *
 * @example
 * ```ts
 * import { ImageSplits } from '../chapter3/data.js';
 * import { classSplits } from './data.js';
 * const data = ImageSplits.synthetic({ train: 100, val: 50, features: 4, seed: 3 });
 * const firstFive = classSplits(data, [0, 1, 2, 3, 4], 10);
 * firstFive.trainSize; // 10
 * firstFive.dispose();
 * data.dispose();
 * ```
 */
export function classSplits(data: ImageSplits, classes: readonly number[], trainLimit?: number): ImageSplits {
  const train = selectClasses(data.trainX, data.trainY, classes, { limit: trainLimit, exact: true });
  const val = selectClasses(data.valX, data.valY, classes);
  return new ImageSplits(train.x, train.y, val.x, val.y);
}
