import { clamp, stack, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes } from './box-checks.js';

const CLIP = signature('clipBoxesToImage', ['size'], { required: 1 });

/** Options of {@link clipBoxesToImage} (torchvision's keyword). */
export interface ClipBoxesToImageOptions {
  /** The image size `[height, width]`. */
  size: readonly [number, number] | readonly number[];
}

/**
 * torchvision's `ops.clip_boxes_to_image`: clamps the x coordinates of `boxes` (`[..., 4]`,
 * `xyxy`) to `[0, width]` and the y coordinates to `[0, height]`, `size = [height, width]`.
 * Differentiable (gradient 0 where a coordinate was clamped). An inverted box stays inverted and
 * a NaN coordinate stays NaN, as in torchvision.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { clipBoxesToImage } from '@tensorgrad/vision';
 * const boxes = tensor([[-5, 2, 40, 50], [10, 10, 20, 20]]);
 * await clipBoxesToImage(boxes, { size: [30, 32] }).array(); // [[0, 2, 32, 30], [10, 10, 20, 20]]
 * await clipBoxesToImage(boxes, [30, 32]).array(); // [[0, 2, 32, 30], [10, 10, 20, 20]]
 * ```
 */
export function clipBoxesToImage(boxes: Tensor, options: ClipBoxesToImageOptions): Tensor;
export function clipBoxesToImage(boxes: Tensor, size: readonly [number, number] | readonly number[]): Tensor;
export function clipBoxesToImage(boxes: Tensor, ...rest: unknown[]): Tensor {
  const op = 'clipBoxesToImage';
  const a = parseArgs(CLIP, rest);
  checkBoxes(op, 'boxes', boxes, true);
  const size = a.size;
  if (!Array.isArray(size) || size.length !== 2 || size.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
    throw new TypeError(`${op}: expected size to be [height, width] (two non-negative numbers), got ${JSON.stringify(size)}; e.g. { size: [480, 640] }`);
  }
  const [height, width] = size as [number, number];
  return tidy(() => {
    const bx = clamp(boxes.slice(-1, 0, null, 2), { min: 0, max: width });
    const by = clamp(boxes.slice(-1, 1, null, 2), { min: 0, max: height });
    return stack([bx, by], boxes.ndim).reshape(boxes.shape);
  });
}
