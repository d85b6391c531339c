/**
 * Chapter 11's data: Fashion-MNIST images held in memory as `[N, 1, 28, 28]` float32 tensors (the
 * book uses MNIST digits; Fashion-MNIST is the data set these machines have), scaled as the
 * notebooks scale them, and {@link encodeDataset}, the latent vectors and labels of a trained
 * model's validation images (what the t-SNE section plots).
 */
import { FashionMNIST, fromTypedArray, keep, noGrad, cat, tidy, type Tensor } from 'tensorgrad';
import type { Encodes } from './models.js';

/** Images and their labels, both owned by the set (`dispose` them when done). */
export interface ImageSet {
  /** float32 `[N, 1, 28, 28]`. */
  images: Tensor;
  /** int32 `[N]`, the Fashion-MNIST class (0 T-shirt/top … 9 Ankle boot). */
  labels: Tensor;
}

/** Options of {@link loadFashionImages}. */
export interface LoadFashionImagesOptions {
  /** The 60,000 training images (default) or, when false, the 10,000 test images (the book's validation set). */
  train?: boolean;
  /** Keep only the first `limit` images (default: all). */
  limit?: number;
  /**
   * `'symmetric'` (default): `ToTensor()` then `Normalize([0.5], [0.5])`, values in [-1, 1], as the
   * autoencoder notebooks do; `'unit'`: `ToTensor()` only, values in [0, 1], as the VAE notebook does.
   */
  scale?: 'symmetric' | 'unit';
  /** A folder with the IDX files, searched before `$TENSORGRAD_DATA` and `/usr/share/datasets/fashion-mnist`. */
  root?: string;
}

/**
 * Scales raw 0–255 pixels `[N, 28, 28]` into the `[N, 1, 28, 28]` images the chapter's models take:
 * `x/255` (`'unit'`) or `(x/255 − 0.5)/0.5` (`'symmetric'`, the default).
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { scaleImages } from './data.js';
 * const raw = tensor([[[0, 255], [51, 102]]]);
 * await scaleImages(raw).array(); // [[[[-1, 1], [-0.6, -0.2]]]]
 * await scaleImages(raw, 'unit').array(); // [[[[0, 1], [0.2, 0.4]]]]
 * ```
 */
export function scaleImages(raw: Tensor, scale: 'symmetric' | 'unit' = 'symmetric'): Tensor {
  if (raw.ndim !== 3) throw new RangeError(`scaleImages: expected raw images [N, H, W] with values 0–255, got [${raw.shape.join(', ')}]`);
  if (scale !== 'symmetric' && scale !== 'unit') throw new RangeError(`scaleImages: expected scale 'symmetric' or 'unit', got ${String(scale)}`);
  return tidy(() => {
    const unit = raw.float().div(255).unsqueeze(1);
    return scale === 'unit' ? unit : unit.sub(0.5).div(0.5);
  });
}

/**
 * Loads a Fashion-MNIST split as an {@link ImageSet} scaled for the chapter's models.
 *
 * @example
 * ```ts
 * import { loadFashionImages } from './data.js';
 * // with Debian's dataset-fashion-mnist installed:
 * // const val = await loadFashionImages({ train: false, limit: 1000 }); val.images.shape → [1000, 1, 28, 28]
 * typeof loadFashionImages; // 'function'
 * ```
 */
export async function loadFashionImages(options: LoadFashionImagesOptions = {}): Promise<ImageSet> {
  const ds = await FashionMNIST.load({ train: options.train ?? true, ...(options.root ? { root: options.root } : {}) });
  const available = ds.data.shape[0]!;
  const limit = options.limit ?? available;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`loadFashionImages: expected limit to be a positive integer, got ${String(options.limit)}; leave it out for all ${available} images`);
  const n = Math.min(limit, available);
  try {
    return {
      images: keep(tidy(() => scaleImages(ds.data.narrow(0, 0, n), options.scale ?? 'symmetric'))),
      labels: keep(tidy(() => ds.targets.narrow(0, 0, n).int())),
    };
  } finally {
    ds.data.dispose();
    ds.targets.dispose();
  }
}

/**
 * Builds an {@link ImageSet} from typed arrays (images already scaled, `[N·784]`, and labels).
 *
 * @example
 * ```ts
 * import { imageSet } from './data.js';
 * const set = imageSet(new Float32Array(2 * 784), Int32Array.from([3, 7]));
 * [set.images.shape, await set.labels.array()]; // [[2, 1, 28, 28], [3, 7]]
 * ```
 */
export function imageSet(images: Float32Array, labels: Int32Array): ImageSet {
  if (images.length !== labels.length * 784) {
    throw new RangeError(`imageSet: expected ${labels.length} × 784 = ${labels.length * 784} pixel values for ${labels.length} labels, got ${images.length}`);
  }
  return { images: keep(fromTypedArray(images, [labels.length, 1, 28, 28])), labels: keep(fromTypedArray(labels, [labels.length])) };
}

/** Options of {@link encodeDataset}. */
export interface EncodeDatasetOptions {
  /** Encode only the first `limit` images (default: all). */
  limit?: number;
  /** Images per forward pass (default 256). */
  batchSize?: number;
}

/** What {@link encodeDataset} returns; the caller owns (and disposes) both tensors. */
export interface EncodedSet {
  /** float32 `[N, D]`: one latent vector per image. */
  latents: Tensor;
  /** int32 `[N]`: the images' labels. */
  labels: Tensor;
}

/**
 * The latent vectors of the first `limit` images of `data` under a trained model, with their
 * labels — the book's loop `for im, clss in val_dl: latent_vectors.append(model.encoder(im)
 * .view(len(im), -1)); classes.extend(clss)` (in evaluation mode, without gradients).
 * `model` is any of the chapter's models ({@link Encodes}: `AutoEncoder`, `ConvAutoEncoder`,
 * `VAE` — its mean).
 *
 * @example
 * ```ts
 * import { ConvAutoEncoder } from './models.js';
 * import { encodeDataset, imageSet } from './data.js';
 * const data = imageSet(new Float32Array(5 * 784), Int32Array.from([0, 1, 2, 3, 4]));
 * const { latents, labels } = encodeDataset(new ConvAutoEncoder(), data, { limit: 3, batchSize: 2 });
 * [latents.shape, await labels.array()]; // [[3, 256], [0, 1, 2]]
 * ```
 */
export function encodeDataset(model: Encodes & { eval(): unknown }, data: ImageSet, options: EncodeDatasetOptions = {}): EncodedSet {
  const available = data.images.shape[0]!;
  const limit = options.limit ?? available;
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`encodeDataset: expected limit to be a positive integer, got ${String(options.limit)}; leave it out for all ${available} images`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`encodeDataset: expected batchSize to be a positive integer, got ${String(options.batchSize)}`);
  const n = Math.min(limit, available);
  model.eval();
  return tidy(() =>
    noGrad(() => {
      const parts: Tensor[] = [];
      for (let i = 0; i < n; i += batchSize) parts.push(model.encode(data.images.narrow(0, i, Math.min(batchSize, n - i))));
      return { latents: keep(cat(parts, 0)), labels: keep(data.labels.narrow(0, 0, n).clone()) };
    }),
  );
}
