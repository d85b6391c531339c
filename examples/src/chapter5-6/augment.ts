/**
 * Translation of image batches, the data augmentation of the book's chapter 4
 * (`iaa.Affine(translate_px=...)` in a `collate_fn`) as functions over a batch `[N, …, H, W]`, so
 * that a torchvision-style `RandomAffine({ translate })` or `RandomCrop(28, { padding })` can take
 * their place: anything of type {@link BatchTransform}.
 */
import { Generator, pad, randint, tidy, tensor, type Tensor } from 'tensorgrad';
import { ImageSplits } from '../chapter3/data.js';

/** A random transform of a batch of images `[N, …, H, W]` that keeps its shape. */
export type BatchTransform = (images: Tensor) => Tensor;

function checkImages(op: string, x: Tensor): void {
  if (x.ndim < 3) throw new RangeError(`${op}: expected a batch of images [N, C, H, W] (or [N, H, W]), got [${x.shape.join(', ')}]`);
}

function checkShift(op: string, name: string, v: number, limit: number): void {
  if (!Number.isInteger(v) || Math.abs(v) > limit) {
    throw new RangeError(`${op}: expected ${name} to be a whole number of pixels in [-${limit}, ${limit}], got ${String(v)}`);
  }
}

/**
 * Shifts every image of the batch by `dx` pixels to the right and `dy` pixels down (negative:
 * left/up), filling the uncovered border with zeros: `out[…, i, j] = x[…, i - dy, j - dx]`.
 * The book's `iaa.Affine(translate_px={'x': dx, 'y': dy}, mode='constant')`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { translate } from './augment.js';
 * const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
 * translate(x, 1).arraySync(); // [[[[0, 1, 2], [0, 4, 5]]]]
 * translate(x, -1, 1).arraySync(); // [[[[0, 0, 0], [2, 3, 0]]]]
 * ```
 */
export function translate(x: Tensor, dx: number, dy = 0): Tensor {
  checkImages('translate', x);
  const [h, w] = x.shape.slice(-2) as [number, number];
  checkShift('translate', 'dx', dx, w);
  checkShift('translate', 'dy', dy, h);
  // a negative pad crops: pad dx on the left and crop dx on the right, likewise vertically
  return pad(x, [dx, -dx, dy, -dy]);
}

/**
 * Shifts image `n` of the batch by `dx[n]` pixels right and `dy[n]` down, zero-filling, in one
 * `gather` from the zero-padded batch. Every `|dx[n]|` must be at most `W` and `|dy[n]|` at most `H`.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { translateEach } from './augment.js';
 * const x = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
 * translateEach(x, [1, 0], [0, -1]).arraySync(); // [[[0, 1], [0, 3]], [[7, 8], [0, 0]]]
 * ```
 */
export function translateEach(x: Tensor, dx: readonly number[] | Int32Array, dy: readonly number[] | Int32Array): Tensor {
  checkImages('translateEach', x);
  const n = x.shape[0]!;
  const [h, w] = x.shape.slice(-2) as [number, number];
  if (dx.length !== n || dy.length !== n) {
    throw new RangeError(`translateEach: expected one shift per image (${n}), got ${dx.length} horizontal and ${dy.length} vertical shifts`);
  }
  let kx = 0;
  let ky = 0;
  for (let i = 0; i < n; i++) {
    checkShift('translateEach', `dx[${i}]`, dx[i]!, w);
    checkShift('translateEach', `dy[${i}]`, dy[i]!, h);
    kx = Math.max(kx, Math.abs(dx[i]!));
    ky = Math.max(ky, Math.abs(dy[i]!));
  }
  const pw = w + 2 * kx;
  // out[n, i, j] = padded[n, i + ky - dy[n], j + kx - dx[n]], as flat indices into each padded image
  const index = new Int32Array(n * h * w);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const row = (i + ky - dy[b]!) * pw + kx - dx[b]!;
      for (let j = 0; j < w; j++) index[(b * h + i) * w + j] = row + j;
    }
  }
  return tidy(() => {
    const lead = x.shape.slice(1, -2);
    const channels = lead.reduce((a, b) => a * b, 1);
    const padded = pad(x, [kx, kx, ky, ky]).reshape([n, channels, -1]);
    const idx = tensor(index, { dtype: 'int32' })
      .reshape([n, 1, h * w])
      .expand([n, channels, h * w]);
    return padded.gather(2, idx).reshape(x.shape);
  });
}

/** Options of {@link randomTranslate}. */
export interface RandomTranslateOptions {
  /** Largest shift in pixels, both directions (a number) or `[horizontal, vertical]` (default 5). */
  maxShift?: number | readonly [number, number];
  /** Generator of the shifts (default: the global one, seeded with `manualSeed`). */
  generator?: Generator;
}

/**
 * Shifts each image of the batch by its own random whole number of pixels, drawn uniformly from
 * `[-k, k]` horizontally and vertically (`maxShift: k`), zero-filling the border; the labels do not
 * change. What torchvision's `RandomAffine(0, translate=(k/W, k/H))` does in whole pixels, or
 * `RandomCrop(28, padding=k)`.
 *
 * @example
 * ```ts
 * import { Generator, ones } from 'tensorgrad';
 * import { randomTranslate } from './augment.js';
 * const x = ones([4, 1, 6, 6]);
 * const shifted = randomTranslate(x, { maxShift: 2, generator: new Generator(0) });
 * shifted.shape; // [4, 1, 6, 6]
 * (shifted.sum().itemSync() as number) <= 4 * 36; // true
 * ```
 */
export function randomTranslate(x: Tensor, options: RandomTranslateOptions = {}): Tensor {
  checkImages('randomTranslate', x);
  const { maxShift = 5, generator } = options;
  const [kx, ky] = typeof maxShift === 'number' ? [maxShift, maxShift] : maxShift;
  const [h, w] = x.shape.slice(-2) as [number, number];
  for (const [name, k, size] of [['horizontal', kx, w], ['vertical', ky, h]] as const) {
    if (!Number.isInteger(k) || k < 0 || k >= size) {
      throw new RangeError(`randomTranslate: expected the ${name} maxShift to be a whole number of pixels in [0, ${size - 1}], got ${String(k)}`);
    }
  }
  const n = x.shape[0]!;
  const draw = (k: number): Int32Array =>
    tidy(() => (k === 0 ? new Int32Array(n) : (randint(-k, k + 1, [n], generator ? { generator } : {}).dataSync() as Int32Array)));
  const dx = draw(kx);
  const dy = draw(ky);
  return translateEach(x, dx, dy);
}

/**
 * A copy of `data` whose training images went through `transform` (as 28×28 images, `[N, 1, 28,
 * 28]`), with the same labels and validation images: one epoch's augmented training set. Drawing
 * it afresh each epoch gives every image a new random transform per epoch, as a `collate_fn` does.
 *
 * @example
 * ```ts
 * import { Generator } from 'tensorgrad';
 * import { ImageSplits } from '../chapter3/data.js';
 * import { augmentSplits, randomTranslate } from './augment.js';
 * const data = ImageSplits.synthetic({ train: 8, val: 4 });
 * const generator = new Generator(1);
 * const epoch = augmentSplits(data, (x) => randomTranslate(x, { maxShift: 3, generator }));
 * epoch.trainX.shape; // [8, 784]
 * epoch.dispose();
 * data.dispose();
 * ```
 */
export function augmentSplits(data: ImageSplits, transform: BatchTransform): ImageSplits {
  return tidy(() => {
    const n = data.trainSize;
    const images = transform(data.trainX.reshape([n, 1, 28, 28]));
    if (images.shape.join() !== [n, 1, 28, 28].join()) {
      throw new RangeError(`augmentSplits: the transform must keep the batch's shape [${n}, 1, 28, 28], got [${images.shape.join(', ')}]`);
    }
    return new ImageSplits(images.reshape([n, 784]), data.trainY.clone(), data.valX.clone(), data.valY.clone());
  });
}
