import { narrow, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkFloat, checkImage, checkInt, checkInterpolation, dims, roundHalfEven, setupSize, type Interpolation } from './common.js';
import { padImage } from './pad.js';
import { antialiasFor, resizedOutputSize, resizeTo } from './resize.js';

/** `F.crop(img, top, left, height, width)`. */
const CROP = signature('crop', ['img', 'top', 'left', 'height', 'width'], { required: 5 });
/** `F.center_crop(img, output_size)`. */
const CENTER_CROP = signature('centerCrop', ['img', 'outputSize'], { required: 2 });
/** `F.resized_crop(img, top, left, height, width, size, interpolation=BILINEAR, antialias=None)`. */
const RESIZED_CROP = signature('resizedCrop', ['img', 'top', 'left', 'height', 'width', 'size', 'interpolation', 'antialias'], { required: 6 });

/** Options of {@link crop}: the box, by torchvision's names. */
export interface CropOptions {
  /** Row of the box's top-left corner (may be negative: the outside is zero-padded). */
  top?: number;
  /** Column of the box's top-left corner. */
  left?: number;
  /** Height of the box. */
  height?: number;
  /** Width of the box. */
  width?: number;
}

/** Options of {@link resizedCrop}. */
export interface ResizedCropOptions extends CropOptions {
  /** Output size, as `resize`'s `size`. */
  size?: number | readonly number[];
  /** `'bilinear'` (default), `'nearest'` or `'bicubic'`. */
  interpolation?: Interpolation;
  /** As `resize`'s `antialias` (default `true` for bilinear/bicubic). */
  antialias?: boolean | null;
}

/** Crops the box out of the last two dims, zero-padding what lies outside (torchvision's `F_t.crop`). */
export function cropBox(op: string, x: Tensor, top: number, left: number, height: number, width: number): Tensor {
  const [, h, w] = dims(x);
  const right = left + width;
  const bottom = top + height;
  const n = x.ndim;
  if (left < 0 || top < 0 || right > w || bottom > h) {
    const padding = [Math.max(-left + Math.min(0, right), 0), Math.max(-top + Math.min(0, bottom), 0), Math.max(right - Math.max(w, left), 0), Math.max(bottom - Math.max(h, top), 0)];
    return tidy(() => {
      const t0 = Math.max(top, 0);
      const l0 = Math.max(left, 0);
      const hh = Math.max(Math.min(bottom, h) - t0, 0);
      const ww = Math.max(Math.min(right, w) - l0, 0);
      if (hh === 0 || ww === 0) throw new RangeError(`${op}: the box (top ${top}, left ${left}, ${height}x${width}) does not overlap the ${h}x${w} image`);
      const inside = narrow(narrow(x, n - 2, t0, hh), n - 1, l0, ww);
      return padImage(op, inside, padding, 0, 'constant');
    });
  }
  return tidy(() => narrow(narrow(x, n - 2, top, height), n - 1, left, width));
}

/**
 * torchvision's `transforms.functional.crop` on an image `[..., H, W]` (any dtype): the box of
 * `height × width` pixels whose top-left corner is at row `top`, column `left`. Parts of the box
 * outside the image are zero-padded, as in torchvision.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { crop } from '@tensorgrad/vision';
 * const img = tensor([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]); // [1, 3, 3]
 * await crop(img, 1, 0, 2, 2).array(); // [[[4, 5], [7, 8]]]
 * await crop(img, { top: -1, left: 2, height: 2, width: 2 }).array(); // [[[0, 0], [3, 0]]]
 * ```
 */
export function crop(img: Tensor, top: number, left: number, height: number, width: number): Tensor;
export function crop(img: Tensor, options: CropOptions): Tensor;
export function crop(...args: unknown[]): Tensor {
  const a = parseArgs(CROP, args);
  const x = checkImage('crop', a.img);
  const top = checkInt('crop', 'top', a.top, -Infinity);
  const left = checkInt('crop', 'left', a.left, -Infinity);
  const height = checkInt('crop', 'height', a.height, 1);
  const width = checkInt('crop', 'width', a.width, 1);
  return cropBox('crop', x, top, left, height, width);
}

/** torchvision's `center_crop` on checked arguments. */
export function centerCropImage(op: string, x: Tensor, [ch, cw]: readonly [number, number]): Tensor {
  let [, h, w] = dims(x);
  let y = x;
  return tidy(() => {
    if (cw > w || ch > h) {
      const padding = [cw > w ? Math.floor((cw - w) / 2) : 0, ch > h ? Math.floor((ch - h) / 2) : 0, cw > w ? Math.floor((cw - w + 1) / 2) : 0, ch > h ? Math.floor((ch - h + 1) / 2) : 0];
      y = padImage(op, x, padding, 0, 'constant');
      [, h, w] = dims(y);
      if (cw === w && ch === h) return y;
    }
    return cropBox(op, y, roundHalfEven((h - ch) / 2), roundHalfEven((w - cw) / 2), ch, cw);
  });
}

/**
 * torchvision's `transforms.functional.center_crop` on an image `[..., H, W]` (any dtype): the
 * central `outputSize` box (an int for a square, or `[h, w]`); the top-left corner is
 * `round((H - h) / 2)`, `round((W - w) / 2)` with Python's rounding (half to even). An image
 * smaller than the box is zero-padded first.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { centerCrop } from '@tensorgrad/vision';
 * const img = tensor([[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]);
 * await centerCrop(img, 1).array(); // [[[5]]]
 * await centerCrop(img, [1, 2]).array(); // [[[4, 5]]]
 * await centerCrop(tensor([[[1]]]), 3).array(); // [[[0, 0, 0], [0, 1, 0], [0, 0, 0]]]
 * ```
 */
export function centerCrop(img: Tensor, outputSize: number | readonly number[]): Tensor;
export function centerCrop(img: Tensor, options: { outputSize: number | readonly number[] }): Tensor;
export function centerCrop(...args: unknown[]): Tensor {
  const a = parseArgs(CENTER_CROP, args);
  const x = checkImage('centerCrop', a.img);
  return centerCropImage('centerCrop', x, setupSize('centerCrop', a.outputSize));
}

/**
 * torchvision's `transforms.functional.resized_crop`: {@link crop} then {@link resize} to
 * `size` (float images; `antialias` defaults to `true` for bilinear/bicubic, as `resize`). The
 * functional form of `RandomResizedCrop`.
 *
 * @example
 * ```ts
 * import { arange } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { resizedCrop } from '@tensorgrad/vision';
 * const img = arange(16).float().reshape(1, 4, 4);
 * await resizedCrop(img, 0, 0, 2, 2, [4, 4], { interpolation: 'nearest' }).array(); // [[[0, 0, 1, 1], [0, 0, 1, 1], [4, 4, 5, 5], [4, 4, 5, 5]]]
 * ```
 */
export function resizedCrop(img: Tensor, top: number, left: number, height: number, width: number, size: number | readonly number[], options?: { interpolation?: Interpolation; antialias?: boolean | null }): Tensor;
export function resizedCrop(img: Tensor, top: number, left: number, height: number, width: number, size: number | readonly number[], interpolation?: Interpolation, antialias?: boolean | null): Tensor;
export function resizedCrop(img: Tensor, options: ResizedCropOptions): Tensor;
export function resizedCrop(...args: unknown[]): Tensor {
  const a = parseArgs(RESIZED_CROP, args);
  const x = checkImage('resizedCrop', a.img);
  checkFloat('resizedCrop', x);
  const top = checkInt('resizedCrop', 'top', a.top, -Infinity);
  const left = checkInt('resizedCrop', 'left', a.left, -Infinity);
  const height = checkInt('resizedCrop', 'height', a.height, 1);
  const width = checkInt('resizedCrop', 'width', a.width, 1);
  const mode = checkInterpolation('resizedCrop', a.interpolation ?? 'bilinear', ['nearest', 'bilinear', 'bicubic']);
  const antialias = antialiasFor('resizedCrop', mode, a.antialias);
  const [oh, ow] = resizedOutputSize('resizedCrop', height, width, a.size, undefined);
  return resizedCropImage('resizedCrop', x, top, left, height, width, oh, ow, mode, antialias);
}

/** crop + resize on checked arguments. */
export function resizedCropImage(op: string, x: Tensor, top: number, left: number, height: number, width: number, oh: number, ow: number, mode: Interpolation, antialias: boolean): Tensor {
  return tidy(() => {
    const c = cropBox(op, x, top, left, height, width);
    if (oh === height && ow === width) return c.contiguous();
    return resizeTo(c, oh, ow, mode, antialias);
  });
}
