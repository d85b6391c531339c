import { add, mul, stack, sub, tidy, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { checkBoxes, checkFormat, unbindBoxes } from './box-checks.js';

const BOX_CONVERT = signature('boxConvert', ['inFmt', 'outFmt'], { required: 2 });

/** A box format of {@link boxConvert}: corners, corner + size, or centre + size. */
export type BoxFormat = 'xyxy' | 'xywh' | 'cxcywh';

/** Options of {@link boxConvert} (torchvision's keywords). */
export interface BoxConvertOptions {
  /** The format of `boxes`. */
  inFmt: BoxFormat;
  /** The format of the result. */
  outFmt: BoxFormat;
}

function toXyxy(boxes: Tensor, fmt: BoxFormat): Tensor {
  const [a, b, c, d] = unbindBoxes(boxes);
  if (fmt === 'xywh') return stack([a, b, add(a, c), add(b, d)], -1);
  // cxcywh
  return stack([sub(a, mul(c, 0.5)), sub(b, mul(d, 0.5)), add(a, mul(c, 0.5)), add(b, mul(d, 0.5))], -1);
}

function fromXyxy(boxes: Tensor, fmt: BoxFormat): Tensor {
  const [x1, y1, x2, y2] = unbindBoxes(boxes);
  if (fmt === 'xywh') return stack([x1, y1, sub(x2, x1), sub(y2, y1)], -1);
  // cxcywh
  return stack([add(x1, x2).div(2), add(y1, y2).div(2), sub(x2, x1), sub(y2, y1)], -1);
}

/**
 * torchvision's `ops.box_convert`: converts `boxes` (`[..., 4]`) from format `inFmt` to `outFmt`:
 * `'xyxy'` (corners x1, y1, x2, y2), `'xywh'` (top-left corner, width, height) or `'cxcywh'`
 * (centre, width, height). The same format returns a copy. Differentiable; no check of the
 * coordinates (negative widths convert as they are, NaN propagates). For integer boxes the
 * arithmetic follows the dtype (`cxcywh` centres of int boxes are divided as torchvision does).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { boxConvert } from '@tensorgrad/vision';
 * const b = tensor([[10, 20, 30, 60]]);
 * await boxConvert(b, { inFmt: 'xyxy', outFmt: 'xywh' }).array(); // [[10, 20, 20, 40]]
 * await boxConvert(b, { inFmt: 'xyxy', outFmt: 'cxcywh' }).array(); // [[20, 40, 20, 40]]
 * // torchvision's positional form
 * await boxConvert(tensor([[20, 40, 20, 40]]), 'cxcywh', 'xyxy').array(); // [[10, 20, 30, 60]]
 * ```
 */
export function boxConvert(boxes: Tensor, options: BoxConvertOptions): Tensor;
export function boxConvert(boxes: Tensor, inFmt: BoxFormat, outFmt: BoxFormat): Tensor;
export function boxConvert(boxes: Tensor, ...rest: unknown[]): Tensor {
  const op = 'boxConvert';
  const a = parseArgs(BOX_CONVERT, rest);
  checkBoxes(op, 'boxes', boxes, true);
  const inFmt = checkFormat(op, 'inFmt', a.inFmt);
  const outFmt = checkFormat(op, 'outFmt', a.outFmt);
  if (inFmt === outFmt) return boxes.clone();
  return tidy(() => {
    const xyxy = inFmt === 'xyxy' ? boxes : toXyxy(boxes, inFmt);
    return outFmt === 'xyxy' ? xyxy : fromXyxy(xyxy, outFmt);
  });
}
