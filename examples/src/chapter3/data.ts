/**
 * The data side of the book's chapter 3 experiments: Fashion-MNIST as flat float32 rows, the
 * training images and the 10,000 test images (the book's validation set), loaded once and scaled
 * per experiment.
 */
import { div, FashionMNIST, Generator, keep, narrow, rand, randn, tidy, type Tensor } from 'tensorgrad';

/** Options of {@link ImageSplits.loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** Use only the first `limit` training images (default: all 60,000). */
  limit?: number;
  /** Use only the first `testLimit` test images (default: all 10,000). */
  testLimit?: number;
  /** A folder with the IDX files, searched before `$TENSORGRAD_DATA` and `/usr/share/datasets/fashion-mnist`. */
  root?: string;
}

function checkLimit(what: string, limit: number | undefined, available: number): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`${what}: expected a positive whole number of images, got ${String(limit)}; leave it out to use all ${available}`);
  }
  return Math.min(limit, available);
}

/** Options of {@link ImageSplits.synthetic}. */
export interface SyntheticOptions {
  /** Number of training rows (default 256). */
  train?: number;
  /** Number of validation rows (default 64). */
  val?: number;
  /** Values per row (default 784, a flattened 28×28 image). */
  features?: number;
  /** Number of classes (default 10). */
  classes?: number;
  /** Seed of the generator that draws the rows and the labelling rule (default 0). */
  seed?: number;
}

/**
 * Training and validation images as float32 rows `[N, 784]` with int32 labels `[N]`: the book's
 * `FMNISTDataset` after `x.view(-1, 28*28)`, for both splits. The object owns its four tensors
 * (`dispose()` frees them).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { ImageSplits } from './data.js';
 * const raw = new ImageSplits(
 *   tensor([[0, 255], [51, 102], [255, 0]]),
 *   tensor([1, 0, 1], { dtype: 'int32' }),
 *   tensor([[255, 255]]),
 *   tensor([0], { dtype: 'int32' }),
 * );
 * const scaled = raw.scaled(255);
 * scaled.trainX.arraySync(); // [[0, 1], [0.2, 0.4], [1, 0]]
 * raw.limited(2, 1).trainX.shape; // [2, 2]
 * scaled.dispose();
 * raw.dispose();
 * ```
 */
export class ImageSplits {
  /** Training images, float32 `[N, features]`. */
  readonly trainX: Tensor;
  /** Training labels, int32 `[N]`. */
  readonly trainY: Tensor;
  /** Validation images, float32 `[M, features]`. */
  readonly valX: Tensor;
  /** Validation labels, int32 `[M]`. */
  readonly valY: Tensor;

  /** Wraps the four tensors and takes ownership of them. */
  constructor(trainX: Tensor, trainY: Tensor, valX: Tensor, valY: Tensor) {
    for (const [name, x, y] of [
      ['train', trainX, trainY],
      ['validation', valX, valY],
    ] as const) {
      if (x.ndim !== 2 || x.dtype !== 'float32') {
        throw new RangeError(`ImageSplits: expected the ${name} images as float32 [N, features], got ${x.dtype} [${x.shape.join(', ')}]`);
      }
      if (y.ndim !== 1 || y.dtype !== 'int32' || y.shape[0] !== x.shape[0]) {
        throw new RangeError(`ImageSplits: expected the ${name} labels as int32 [${x.shape[0]}], got ${y.dtype} [${y.shape.join(', ')}]`);
      }
    }
    if (trainX.shape[1] !== valX.shape[1]) {
      throw new RangeError(`ImageSplits: train images have ${trainX.shape[1]} features but validation images have ${valX.shape[1]}`);
    }
    this.trainX = keep(trainX);
    this.trainY = keep(trainY);
    this.valX = keep(valX);
    this.valY = keep(valY);
  }

  /**
   * Loads Fashion-MNIST's 60,000 training and 10,000 test images, unscaled (pixel values 0–255),
   * flattened to `[N, 784]`: the book's `datasets.FashionMNIST(..., train=True/False)`.
   *
   * @example
   * ```ts
   * import { ImageSplits } from './data.js';
   * let message = '';
   * try {
   *   await ImageSplits.loadFashionMnist({ root: '/nonexistent', limit: 0 });
   * } catch (e) {
   *   message = (e as Error).message;
   * }
   * message.includes('positive whole number'); // true
   * ```
   */
  static async loadFashionMnist(options: LoadFashionMnistOptions = {}): Promise<ImageSplits> {
    checkLimit('loadFashionMnist: limit', options.limit, Infinity);
    checkLimit('loadFashionMnist: testLimit', options.testLimit, Infinity);
    const root = options.root === undefined ? {} : { root: options.root };
    const train = await FashionMNIST.load({ ...root, train: true, dtype: 'float32' });
    try {
      const test = await FashionMNIST.load({ ...root, train: false, dtype: 'float32' });
      try {
        // views of the datasets' storage (kept alive by the views after the datasets are freed)
        const flat = (images: Tensor): Tensor => images.reshape([images.shape[0]!, -1]);
        const all = new ImageSplits(flat(train.data), train.targets.view([-1]), flat(test.data), test.targets.view([-1]));
        if (options.limit === undefined && options.testLimit === undefined) return all;
        const limited = all.limited(options.limit, options.testLimit);
        all.dispose();
        return limited;
      } finally {
        test.dispose();
      }
    } finally {
      train.dispose();
    }
  }

  /**
   * Random stand-in data shaped like Fashion-MNIST, for examples and quick checks: pixel values
   * uniform in [0, 255), labelled by a fixed random linear rule (so a linear model can learn them).
   *
   * @example
   * ```ts
   * import { ImageSplits } from './data.js';
   * const data = ImageSplits.synthetic({ train: 100, val: 20, seed: 1 });
   * data.trainX.shape; // [100, 784]
   * data.valY.shape; // [20]
   * data.dispose();
   * ```
   */
  static synthetic(options: SyntheticOptions = {}): ImageSplits {
    const { train = 256, val = 64, features = 784, classes = 10, seed = 0 } = options;
    for (const [name, v] of Object.entries({ train, val, features, classes })) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`ImageSplits.synthetic: expected ${name} to be a positive whole number, got ${String(v)}`);
    }
    const generator = new Generator(seed);
    return tidy(() => {
      const rule = randn([features, classes], { generator });
      const draw = (n: number): [Tensor, Tensor] => {
        const x = rand([n, features], { generator }).mul(255);
        return [x, x.sub(127.5).matmul(rule).argmax(-1)];
      };
      const [trainX, trainY] = draw(train);
      const [valX, valY] = draw(val);
      return new ImageSplits(trainX, trainY, valX, valY);
    });
  }

  /** The number of training images. */
  get trainSize(): number {
    return this.trainX.shape[0]!;
  }

  /** The number of validation images. */
  get valSize(): number {
    return this.valX.shape[0]!;
  }

  /**
   * The first `limit` training and first `testLimit` validation images, as views of these tensors
   * (no copy; free the views with `dispose()` before this object). `undefined` keeps a split whole.
   */
  limited(limit?: number, testLimit?: number): ImageSplits {
    const n = checkLimit('ImageSplits.limited: limit', limit, this.trainSize);
    const m = checkLimit('ImageSplits.limited: testLimit', testLimit, this.valSize);
    const head = (t: Tensor, k: number): Tensor => narrow(t, 0, 0, k);
    return new ImageSplits(head(this.trainX, n), head(this.trainY, n), head(this.valX, m), head(this.valY, m));
  }

  /**
   * New images divided by `divisor` (the book's `x.float()/255`; `1` copies them unscaled); the
   * labels are shared copies. Dispose the result on its own.
   */
  scaled(divisor: number): ImageSplits {
    if (typeof divisor !== 'number' || !Number.isFinite(divisor) || divisor === 0) {
      throw new RangeError(`ImageSplits.scaled: expected a finite, non-zero divisor such as 255, got ${String(divisor)}`);
    }
    return tidy(
      () =>
        new ImageSplits(
          divisor === 1 ? this.trainX.clone() : div(this.trainX, divisor),
          this.trainY.clone(),
          divisor === 1 ? this.valX.clone() : div(this.valX, divisor),
          this.valY.clone(),
        ),
    );
  }

  /** Frees the four tensors. */
  dispose(): void {
    this.trainX.dispose();
    this.trainY.dispose();
    this.valX.dispose();
    this.valY.dispose();
  }
}
