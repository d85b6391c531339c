// torchvision.models.detection.transform and image_list
import { empty, interpolate, isFloating, pad, stack, tensor, type Tensor } from '@tensorgrad/tensor';
import { Module } from '@tensorgrad/layers';
import { parseArgs, signature } from '../../args.js';
import type { DetectionTarget } from '../../metrics/detection-inputs.js';

export type { DetectionTarget };


/**
 * A batch of images of different sizes padded into one tensor (torchvision's `ImageList`):
 * `tensors` `[N, C, H, W]` and the size of each image before padding.
 *
 * @example
 * ```ts
 * import { ImageList } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const list = new ImageList(zeros([2, 3, 32, 32]), [[30, 20], [32, 32]]);
 * list.imageSizes[0]; // [30, 20]
 * ```
 */
export class ImageList {
  /** The padded batch, `[N, C, H, W]`. */
  readonly tensors: Tensor;
  /** `[height, width]` of each image before padding. */
  readonly imageSizes: readonly (readonly [number, number])[];

  /** torchvision's `ImageList(tensors, image_sizes)`. */
  constructor(tensors: Tensor, imageSizes: readonly (readonly [number, number])[]) {
    if (tensors.ndim !== 4) throw new RangeError(`ImageList: expected tensors to be [N, C, H, W], got shape [${tensors.shape.join(', ')}]`);
    if (imageSizes.length !== tensors.shape[0]) throw new RangeError(`ImageList: expected ${tensors.shape[0]} image sizes (one per image), got ${imageSizes.length}`);
    this.tensors = tensors;
    this.imageSizes = imageSizes;
  }
}

/**
 * Scales boxes `[K, 4]` from an image of size `originalSize` `[h, w]` to one of size `newSize`
 * (torchvision's `transform.resize_boxes`; the ratios are float32 as torchvision's).
 * @internal
 */
export function resizeBoxes(boxes: Tensor, originalSize: readonly number[], newSize: readonly number[]): Tensor {
  const rh = Math.fround(Math.fround(newSize[0]!) / Math.fround(originalSize[0]!));
  const rw = Math.fround(Math.fround(newSize[1]!) / Math.fround(originalSize[1]!));
  return boxes.mul(tensor([rw, rh, rw, rh], { dtype: boxes.dtype }));
}

const GRT = signature('new GeneralizedRCNNTransform', ['minSize', 'maxSize', 'imageMean', 'imageStd', 'sizeDivisible', 'fixedSize'], { required: 4 });

/** Options of {@link GeneralizedRCNNTransform} (torchvision's keywords, camelCase). */
export interface GeneralizedRCNNTransformOptions {
  /** Pad heights and widths up to a multiple of this (default 32). */
  sizeDivisible?: number;
  /** Resize every image to this `[width, height]` instead of by `minSize`/`maxSize` (default none). */
  fixedSize?: readonly [number, number] | null;
}

/**
 * The input side of torchvision's detectors (`GeneralizedRCNNTransform`): each `[C, H, W]` image
 * (floats in [0, 1]) is normalised with `imageMean`/`imageStd`, resized bilinearly so its short
 * side is `minSize` unless its long side would pass `maxSize` (torchvision's
 * `_resize_image_and_masks`: one float32 scale, the output size `floor(side · scale)`), its target
 * boxes scaled along, and the images are zero-padded into one batch whose sides are multiples of
 * `sizeDivisible`. In training mode `minSize` may list several sizes, one picked at random per
 * image. {@link GeneralizedRCNNTransform.postprocess} maps detections back to the original sizes.
 *
 * @example
 * ```ts
 * import { GeneralizedRCNNTransform } from '@tensorgrad/vision';
 * import { rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const t = new GeneralizedRCNNTransform(64, 100, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]).eval();
 * const [list] = t([rand([3, 40, 60]), rand([3, 30, 30])]);
 * list.imageSizes; // [[64, 96], [64, 64]]
 * list.tensors.shape; // [2, 3, 64, 96]
 * ```
 */
export class GeneralizedRCNNTransform extends Module<[Tensor[], DetectionTarget[]?], [ImageList, DetectionTarget[] | null]> {
  /** Sizes of the short side (one is drawn per image in training; the last is used in eval). */
  readonly minSize: readonly number[];
  /** Largest allowed long side. */
  readonly maxSize: number;
  /** Per-channel mean subtracted. */
  readonly imageMean: readonly number[];
  /** Per-channel standard deviation divided by. */
  readonly imageStd: readonly number[];
  /** Padding multiple of the batch's height and width. */
  readonly sizeDivisible: number;
  /** Fixed `[width, height]`, or `null`. */
  readonly fixedSize: readonly [number, number] | null;

  /** torchvision's `GeneralizedRCNNTransform(min_size, max_size, image_mean, image_std, size_divisible=32, fixed_size=None)`, options by name… */
  constructor(minSize: number | readonly number[], maxSize: number, imageMean: readonly number[], imageStd: readonly number[], options?: GeneralizedRCNNTransformOptions);
  /** …or positionally. */
  constructor(
    minSize: number | readonly number[],
    maxSize: number,
    imageMean: readonly number[],
    imageStd: readonly number[],
    sizeDivisible?: number,
    fixedSize?: readonly [number, number] | null,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(GRT, args);
    const owner = 'new GeneralizedRCNNTransform';
    const minSize = typeof a.minSize === 'number' ? [a.minSize] : (a.minSize as number[]);
    if (!Array.isArray(minSize) || minSize.length === 0 || minSize.some((s) => typeof s !== 'number' || !(s > 0))) {
      throw new TypeError(`${owner}: expected minSize to be a positive number or a non-empty list of them, got ${JSON.stringify(a.minSize)}`);
    }
    if (typeof a.maxSize !== 'number' || !(a.maxSize > 0)) throw new TypeError(`${owner}: expected maxSize to be a positive number, got ${String(a.maxSize)}`);
    for (const k of ['imageMean', 'imageStd'] as const) {
      const v = a[k] as number[];
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number')) throw new TypeError(`${owner}: expected ${k} to be a list of per-channel numbers, got ${JSON.stringify(v)}`);
    }
    const sizeDivisible = a.sizeDivisible ?? 32;
    if (!Number.isInteger(sizeDivisible) || (sizeDivisible as number) <= 0) throw new TypeError(`${owner}: expected sizeDivisible to be a positive integer, got ${String(sizeDivisible)}`);
    const fixed = (a.fixedSize ?? null) as [number, number] | null;
    if (fixed !== null && (!Array.isArray(fixed) || fixed.length !== 2 || fixed.some((s) => !Number.isInteger(s) || s <= 0))) {
      throw new TypeError(`${owner}: expected fixedSize to be null or [width, height] (positive integers), got ${JSON.stringify(fixed)}`);
    }
    this.minSize = minSize;
    this.maxSize = a.maxSize;
    this.imageMean = a.imageMean as number[];
    this.imageStd = a.imageStd as number[];
    this.sizeDivisible = sizeDivisible as number;
    this.fixedSize = fixed;
  }

  override forward(images: Tensor[], targets?: DetectionTarget[]): [ImageList, DetectionTarget[] | null] {
    if (!Array.isArray(images) || images.length === 0) throw new TypeError('GeneralizedRCNNTransform: expected a non-empty list of [C, H, W] images');
    if (targets !== undefined && targets !== null && targets.length !== images.length) {
      throw new RangeError(`GeneralizedRCNNTransform: got ${images.length} images but ${targets.length} targets; give one target per image`);
    }
    const out: Tensor[] = [];
    const outTargets: DetectionTarget[] | null = targets ? targets.map((t) => ({ ...t })) : null;
    images.forEach((image, i) => {
      if (image.ndim !== 3) throw new RangeError(`GeneralizedRCNNTransform: images are expected to be a list of 3-D tensors of shape [C, H, W], got shape [${image.shape.join(', ')}] at index ${i}`);
      const [img, target] = this.resize(this.normalize(image), outTargets ? outTargets[i]! : null);
      out.push(img);
      if (outTargets && target) outTargets[i] = target;
    });
    const imageSizes = out.map((t) => [t.shape[1]!, t.shape[2]!] as const);
    return [new ImageList(this.batchImages(out, this.sizeDivisible), imageSizes), outTargets];
  }

  /** `(image − mean) / std` per channel (torchvision's `normalize`); the image must be floating point. */
  normalize(image: Tensor): Tensor {
    if (!isFloating(image.dtype)) {
      throw new TypeError(`GeneralizedRCNNTransform: expected input images to be of floating type (in range [0, 1]), but found type ${image.dtype}; convert with .float() and divide by 255`);
    }
    const c = image.shape[0]!;
    if (this.imageMean.length !== c || this.imageStd.length !== c) {
      throw new RangeError(`GeneralizedRCNNTransform: the image has ${c} channels but imageMean/imageStd have ${this.imageMean.length}/${this.imageStd.length} entries`);
    }
    const mean = tensor(this.imageMean as number[], { dtype: image.dtype }).reshape([-1, 1, 1]);
    const std = tensor(this.imageStd as number[], { dtype: image.dtype }).reshape([-1, 1, 1]);
    return image.sub(mean).div(std);
  }

  /** Resizes one normalised image (and its target's boxes) as torchvision's `resize`. */
  resize(image: Tensor, target: DetectionTarget | null = null): [Tensor, DetectionTarget | null] {
    const h = image.shape[1]!;
    const w = image.shape[2]!;
    let size: number;
    if (this.training) {
      // torchvision's torch_choice: one uniform draw per image
      const index = Math.trunc(empty([1]).uniform_(0, this.minSize.length).dataSync()[0]!);
      size = this.minSize[Math.min(index, this.minSize.length - 1)]!;
    } else {
      size = this.minSize[this.minSize.length - 1]!;
    }
    let outSize: [number, number];
    if (this.fixedSize) {
      outSize = [this.fixedSize[1], this.fixedSize[0]];
    } else {
      // float32 arithmetic as torchvision's (the sizes are a float32 tensor)
      const lo = Math.fround(Math.min(h, w));
      const hi = Math.fround(Math.max(h, w));
      const scale = Math.min(Math.fround(Math.fround(size) / lo), Math.fround(Math.fround(this.maxSize) / hi));
      outSize = [Math.floor(h * scale), Math.floor(w * scale)];
      if (outSize[0] < 1 || outSize[1] < 1) throw new RangeError(`GeneralizedRCNNTransform: resizing an image of size ${h}×${w} by ${scale} gives an empty image`);
    }
    const resized = interpolate(image.unsqueeze(0), { size: outSize, mode: 'bilinear', alignCorners: false }).squeeze(0);
    if (!target) return [resized, target];
    return [resized, { ...target, boxes: resizeBoxes(target.boxes, [h, w], outSize) }];
  }

  /** Zero-pads the images to a common size, rounded up to multiples of `sizeDivisible`, and stacks them (torchvision's `batch_images`). */
  batchImages(images: Tensor[], sizeDivisible = 32): Tensor {
    const maxH = Math.ceil(Math.max(...images.map((t) => t.shape[1]!)) / sizeDivisible) * sizeDivisible;
    const maxW = Math.ceil(Math.max(...images.map((t) => t.shape[2]!)) / sizeDivisible) * sizeDivisible;
    const maxC = Math.max(...images.map((t) => t.shape[0]!));
    return stack(images.map((t) => (t.shape[0] === maxC && t.shape[1] === maxH && t.shape[2] === maxW ? t : pad(t, [0, maxW - t.shape[2]!, 0, maxH - t.shape[1]!, 0, maxC - t.shape[0]!]))));
  }

  /**
   * Maps eval-mode detections from the resized sizes `imageShapes` back to `originalImageSizes`
   * (torchvision's `postprocess`); in training mode returns them unchanged.
   */
  postprocess<R extends { boxes: Tensor }>(result: R[], imageShapes: readonly (readonly [number, number])[], originalImageSizes: readonly (readonly [number, number])[]): R[] {
    if (this.training) return result;
    return result.map((r, i) => ({ ...r, boxes: resizeBoxes(r.boxes, imageShapes[i]!, originalImageSizes[i]!) }));
  }
}
