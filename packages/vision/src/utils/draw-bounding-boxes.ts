import { Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { pixelsToTensor, tensorToPixels } from '../io/image-tensor.js';
import { COLOR_NAMES } from './color-names.js';

/** A colour: a PIL colour name (`'red'`), `'#rgb'`, `'#rrggbb'`, `'rgb(r, g, b)'` or `[r, g, b]` (0–255). */
export type Color = string | readonly [number, number, number];

/** Options of {@link drawBoundingBoxes} (torchvision's keywords in camelCase). */
export interface DrawBoundingBoxesOptions {
  /**
   * torchvision's `labels`: **not supported** — torchvision draws them with PIL's fonts, which
   * tensorgrad does not ship; passing labels throws. Leave it out (or `null`).
   */
  labels?: readonly string[] | null;
  /** One colour for all boxes, or one per box; default torchvision's generated palette. */
  colors?: Color | readonly Color[] | null;
  /** Fill the boxes with their colour at alpha 100/255 (default false). */
  fill?: boolean;
  /** Outline width in pixels (default 1). */
  width?: number;
  /** torchvision's `font`: not supported (see `labels`). */
  font?: string | null;
  /** torchvision's `font_size`: not supported (see `labels`). */
  fontSize?: number | null;
}

const DRAW = signature('drawBoundingBoxes', ['image', 'boxes', 'labels', 'colors', 'fill', 'width', 'font', 'fontSize'], { required: 2 });
const OP = 'drawBoundingBoxes';

/** @internal A {@link Color} as `[r, g, b]`, or a TypeError naming `op`. */
export function parseColor(c: unknown, op = OP): [number, number, number] {
  if (Array.isArray(c) && c.length === 3 && c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) return [c[0], c[1], c[2]];
  if (typeof c === 'string') {
    const s = c.trim().toLowerCase();
    const named = COLOR_NAMES[s];
    if (named) return [named[0], named[1], named[2]];
    let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
    if (m) return [m[1]!, m[2]!, m[3]!].map((h) => parseInt(h + h, 16)) as [number, number, number];
    m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(s);
    if (m) return [m[1]!, m[2]!, m[3]!].map((h) => parseInt(h, 16)) as [number, number, number];
    m = /^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(s);
    if (m && [m[1], m[2], m[3]].every((v) => Number(v) <= 255)) return [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  throw new TypeError(
    `${op}: expected a colour as a PIL colour name ('red'), '#rgb', '#rrggbb', 'rgb(r, g, b)' or [r, g, b] with integers 0–255, got ${JSON.stringify(c)}`,
  );
}

/** torchvision's `_generate_color_palette`: `(i · [2²⁵−1, 2¹⁵−1, 2²¹−1]) mod 255`. */
/** @internal */
export function paletteColor(i: number): [number, number, number] {
  return [(i * (2 ** 25 - 1)) % 255, (i * (2 ** 15 - 1)) % 255, (i * (2 ** 21 - 1)) % 255];
}

/** PIL's `DIV255(a · (255 − alpha) + b · alpha)`, the blend of its RGBA drawing mode. */
function blend(out: number, ink: number, alpha: number): number {
  const t = out * (255 - alpha) + ink * alpha + 128;
  return ((t >> 8) + t) >> 8;
}

/**
 * torchvision's `utils.draw_bounding_boxes`: draws boxes `[N, 4]` (`xyxy`: x1, y1, x2, y2 in
 * pixels, truncated to integers; corners inclusive) on an image `[C, H, W]` (C = 1 or 3,
 * `int32` with values 0–255 as from `decodeImage`; torchvision: uint8) and returns a new
 * `int32` image `[3, H, W]` (a gray image is repeated to RGB). The pixels are torchvision's
 * (PIL's `ImageDraw.rectangle`): an outline `width` pixels wide inside the box, and with
 * `fill: true` the box blended with its colour at alpha 100/255 first. Boxes may reach outside
 * the image. `colors` default to torchvision's palette.
 *
 * `labels` (and `font`, `fontSize`) are refused with an error: torchvision draws the text with
 * PIL's built-in bitmap font, which tensorgrad does not ship, and different glyphs would not be
 * torchvision's pixels.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { tensor, zeros } from '@tensorgrad/tensor';
 * import { drawBoundingBoxes } from '@tensorgrad/vision';
 * const image = zeros([3, 4, 5], { dtype: 'int32' });
 * const boxes = tensor([[1, 0, 3, 2]]); // x1, y1, x2, y2
 * const out = await drawBoundingBoxes(image, boxes, { colors: 'white' });
 * await out.select(0, 0).array(); // [[0, 255, 255, 255, 0], [0, 255, 0, 255, 0], [0, 255, 255, 255, 0], [0, 0, 0, 0, 0]]
 * ```
 */
export async function drawBoundingBoxes(image: Tensor, boxes: Tensor, options?: DrawBoundingBoxesOptions): Promise<Tensor>;
export async function drawBoundingBoxes(
  image: Tensor,
  boxes: Tensor,
  labels?: readonly string[] | null,
  colors?: Color | readonly Color[] | null,
  fill?: boolean,
  width?: number,
  font?: string | null,
  fontSize?: number | null,
): Promise<Tensor>;
export async function drawBoundingBoxes(...args: unknown[]): Promise<Tensor> {
  const a = parseArgs(DRAW, args);
  const image = a.image;
  const boxes = a.boxes;
  for (const key of ['labels', 'font', 'fontSize'] as const) {
    if (a[key] !== undefined && a[key] !== null) {
      throw new TypeError(
        `${OP}: ${key} is not supported by tensorgrad: torchvision draws labels with PIL's built-in bitmap font (or a TrueType font), ` +
          'which tensorgrad does not ship, and other glyphs would not give torchvision\'s pixels; draw the boxes without labels and add the text yourself (e.g. on a canvas)',
      );
    }
  }
  if (!(image instanceof Tensor)) throw new TypeError(`${OP}: expected an image tensor [C, H, W], got ${image === null ? 'null' : typeof image}`);
  if (image.dtype !== 'int32') {
    throw new TypeError(`${OP}: expected an int32 image with values 0–255 (torchvision: uint8), got ${image.dtype}; a float image in [0, 1] converts with x.mul(255).add(0.5).clamp(0, 255).int()`);
  }
  if (image.ndim !== 3) throw new RangeError(`${OP}: expected one image [C, H, W], got shape [${image.shape.join(', ')}]; pass the images of a batch one at a time`);
  if (!(boxes instanceof Tensor)) throw new TypeError(`${OP}: expected boxes as a tensor [N, 4], got ${boxes === null ? 'null' : typeof boxes}`);
  if (boxes.ndim !== 2 || boxes.shape[1] !== 4) throw new RangeError(`${OP}: expected boxes [N, 4] (x1, y1, x2, y2), got shape [${boxes.shape.join(', ')}]`);
  const fill = a.fill ?? false;
  if (typeof fill !== 'boolean') throw new TypeError(`${OP}: expected fill to be a boolean, got ${String(fill)}`);
  const width = a.width ?? 1;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 0) throw new RangeError(`${OP}: expected width to be a non-negative integer, got ${String(width)}`);
  const pixels = await tensorToPixels(OP, image, [1, 3]);
  const n = boxes.shape[0]!;
  const coords = Array.from(await boxes.data(), (v) => Math.trunc(Number(v)));
  for (let i = 0; i < n; i++) {
    const [x1, y1, x2, y2] = coords.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    if (x1 > x2 || y1 > y2) {
      throw new RangeError(`${OP}: box ${i} is [${x1}, ${y1}, ${x2}, ${y2}]: boxes need to be in (xmin, ymin, xmax, ymax) format with xmin ≤ xmax and ymin ≤ ymax; convert other formats with boxConvert`);
    }
  }
  if (n === 0) return image.clone();
  let colors: [number, number, number][];
  const c = a.colors;
  if (c === undefined || c === null) colors = Array.from({ length: n }, (_, i) => paletteColor(i));
  else if (Array.isArray(c) && !(c.length === 3 && c.every((v) => typeof v === 'number'))) {
    if (c.length < n) throw new RangeError(`${OP}: the number of colors (${c.length}) is less than the number of boxes (${n}); give one colour per box or a single colour`);
    colors = c.slice(0, n).map((x) => parseColor(x));
  } else colors = new Array(n).fill(parseColor(c));

  // the RGB image PIL draws on
  const { width: w, height: h } = pixels;
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) for (let k = 0; k < 3; k++) rgb[i * 3 + k] = pixels.data[i * pixels.channels + (pixels.channels === 1 ? 0 : k)]!;
  const hline = (x0: number, y: number, x1: number, ink: readonly number[], alpha: number): void => {
    if (y < 0 || y >= h) return;
    if (x0 > x1) [x0, x1] = [x1, x0];
    if (x0 >= w || x1 < 0) return;
    x0 = Math.max(x0, 0);
    x1 = Math.min(x1, w - 1);
    for (let x = x0; x <= x1; x++) {
      const o = (y * w + x) * 3;
      for (let k = 0; k < 3; k++) rgb[o + k] = alpha === 255 ? ink[k]! : blend(rgb[o + k]!, ink[k]!, alpha);
    }
  };
  // PIL's vertical line: |y1 - y0| points from y0 towards y1 (the end point excluded)
  const vline = (x: number, y0: number, y1: number, ink: readonly number[]): void => {
    const step = y1 < y0 ? -1 : 1;
    for (let i = 0, y = y0; i < Math.abs(y1 - y0); i++, y += step) {
      if (x >= 0 && x < w && y >= 0 && y < h) for (let k = 0; k < 3; k++) rgb[(y * w + x) * 3 + k] = ink[k]!;
    }
  };
  for (let i = 0; i < n; i++) {
    const [x0, y0, x1, y1] = coords.slice(i * 4, i * 4 + 4) as [number, number, number, number];
    const ink = colors[i]!;
    if (fill) {
      // ImagingDrawRectangle with fill: rows y0..y1 clipped to the image
      const top = Math.max(y0, 0);
      const bottom = Math.min(y1, h);
      if (top < h && y1 >= 0) for (let y = top; y <= bottom; y++) hline(x0, y, x1, ink, 100);
    }
    if (width !== 0) {
      for (let k = 0; k < width; k++) {
        hline(x0, y0 + k, x1, ink, 255);
        hline(x0, y1 - k, x1, ink, 255);
        vline(x1 - k, y0 + width, y1 - width + 1, ink);
        vline(x0 + k, y0 + width, y1 - width + 1, ink);
      }
    }
  }
  return pixelsToTensor({ width: w, height: h, channels: 3, data: rgb });
}
