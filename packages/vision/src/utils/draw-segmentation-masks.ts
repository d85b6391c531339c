import { Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { pixelsToTensor, tensorToPixels } from '../io/image-tensor.js';
import { paletteColor, parseColor, type Color } from './draw-bounding-boxes.js';

/** Options of {@link drawSegmentationMasks} (torchvision's keywords in camelCase). */
export interface DrawSegmentationMasksOptions {
  /** How opaque the masks are, 0 (invisible) to 1 (opaque); default 0.8. */
  alpha?: number;
  /** One colour for all masks, or one per mask (at least as many as masks); default torchvision's generated palette. */
  colors?: Color | readonly Color[] | null;
}

const DRAW = signature('drawSegmentationMasks', ['image', 'masks', 'alpha', 'colors'], { required: 2 });
const OP = 'drawSegmentationMasks';

/**
 * torchvision's `utils.draw_segmentation_masks`: paints boolean masks `[N, H, W]` (or one `[H, W]`)
 * over an image `[C, H, W]` (`int32` with values 0–255 as from `decodeImage`; torchvision: uint8)
 * and returns a new `int32` image `[3, H, W]`. Each mask's pixels take its colour (a later mask
 * over an earlier one), then the result is blended with the image: `image · (1 − alpha) + painted
 * · alpha`, truncated to integers — torchvision's pixels, computed in float32 as PyTorch does.
 * `colors` default to torchvision's palette (the one {@link drawBoundingBoxes} uses). With no
 * masks the image is returned unchanged (a copy). One colour given for several masks paints them
 * all (as torchvision ≥ 0.16; torchvision 0.14 paints only the first mask with it). torchvision accepts only RGB images; a grey
 * image (`C = 1`) is repeated to RGB first here, as {@link drawBoundingBoxes} does.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { tensor, zeros } from '@tensorgrad/tensor';
 * import { drawSegmentationMasks } from '@tensorgrad/vision';
 * const image = zeros([3, 2, 3], { dtype: 'int32' });
 * const masks = tensor([[[true, true, false], [false, false, false]]], { dtype: 'bool' });
 * const out = await drawSegmentationMasks(image, masks, { alpha: 0.5, colors: 'red' });
 * await out.select(0, 0).array(); // [[127, 127, 0], [0, 0, 0]]
 * ```
 */
export async function drawSegmentationMasks(image: Tensor, masks: Tensor, options?: DrawSegmentationMasksOptions): Promise<Tensor>;
export async function drawSegmentationMasks(image: Tensor, masks: Tensor, alpha?: number, colors?: Color | readonly Color[] | null): Promise<Tensor>;
export async function drawSegmentationMasks(...args: unknown[]): Promise<Tensor> {
  const a = parseArgs(DRAW, args);
  const image = a.image;
  const masks = a.masks;
  if (!(image instanceof Tensor)) throw new TypeError(`${OP}: expected an image tensor [C, H, W], got ${image === null ? 'null' : typeof image}`);
  if (image.dtype !== 'int32') {
    throw new TypeError(`${OP}: expected an int32 image with values 0–255 (torchvision: uint8), got ${image.dtype}; a float image in [0, 1] converts with x.mul(255).add(0.5).clamp(0, 255).int()`);
  }
  if (image.ndim !== 3) throw new RangeError(`${OP}: expected one image [C, H, W], got shape [${image.shape.join(', ')}]; pass the images of a batch one at a time`);
  if (!(masks instanceof Tensor)) throw new TypeError(`${OP}: expected masks as a bool tensor [N, H, W] or [H, W], got ${masks === null ? 'null' : typeof masks}`);
  // a 2-D mask is read as [1, H, W] (torchvision's masks[None]); only its shape changes, so no tensor is made
  const m = masks as Tensor;
  const dims = m.ndim === 2 ? [1, ...m.shape] : [...m.shape];
  if (dims.length !== 3) throw new RangeError(`${OP}: expected masks of shape [H, W] or [N, H, W], got [${m.shape.join(', ')}]`);
  if (m.dtype !== 'bool') throw new TypeError(`${OP}: expected bool masks (torchvision: "The masks must be of dtype bool"), got ${m.dtype}; convert 0/1 masks with masks.gt(0) or probabilities with masks.gt(0.5)`);
  const [, h, w] = image.shape as [number, number, number];
  if (dims[1] !== h || dims[2] !== w) {
    throw new RangeError(`${OP}: the image and the masks must have the same height and width: image [${image.shape.join(', ')}], masks [${m.shape.join(', ')}]`);
  }
  const alpha = a.alpha ?? 0.8;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) throw new RangeError(`${OP}: expected alpha to be a number in [0, 1], got ${String(alpha)}`);
  const n = dims[0]!;
  let colors: [number, number, number][];
  const c = a.colors;
  if (c === undefined || c === null) colors = Array.from({ length: n }, (_, i) => paletteColor(i));
  else if (Array.isArray(c) && !(c.length === 3 && c.every((v) => typeof v === 'number'))) {
    if (c.length < n) throw new RangeError(`${OP}: there are more masks (${n}) than colors (${c.length}); give one colour per mask or a single colour`);
    colors = c.slice(0, n).map((x) => parseColor(x, OP));
  } else colors = new Array(n).fill(parseColor(c, OP));

  const pixels = await tensorToPixels(OP, image, [1, 3]);
  const plane = h * w;
  const src = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) for (let k = 0; k < 3; k++) src[i * 3 + k] = pixels.data[i * pixels.channels + (pixels.channels === 1 ? 0 : k)]!;
  if (n === 0) return pixelsToTensor({ width: w, height: h, channels: 3, data: src });
  const painted = src.slice();
  const bits = await m.data();
  for (let j = 0; j < n; j++) {
    const ink = colors[j]!;
    for (let p = 0; p < plane; p++) if (bits[j * plane + p]) for (let k = 0; k < 3; k++) painted[p * 3 + k] = ink[k]!;
  }
  // PyTorch: (image * (1 - alpha) + painted * alpha).to(uint8), float32 arithmetic, truncation
  const keep = Math.fround(1 - alpha);
  const mix = Math.fround(alpha);
  const out = new Uint8Array(plane * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.trunc(Math.fround(Math.fround(src[i]! * keep) + Math.fround(painted[i]! * mix)));
  return pixelsToTensor({ width: w, height: h, channels: 3, data: out });
}
