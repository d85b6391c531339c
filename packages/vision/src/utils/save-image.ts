import { add, clamp, mul, Tensor, tidy } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { encodeJpegPixels } from '../io/jpeg.js';
import { writeFileBytes } from '../io/node-fs.js';
import type { Pixels } from '../io/pixels.js';
import { encodePngPixels } from '../io/png.js';
import { makeGrid, type MakeGridOptions } from './make-grid.js';

/** Options of {@link saveImage}: {@link makeGrid}'s, and the file format. */
export interface SaveImageOptions extends MakeGridOptions {
  /** `'png'` or `'jpeg'` (`'jpg'`); default from the file name's extension. */
  format?: 'png' | 'jpeg' | 'jpg';
}

const SAVE_IMAGE = signature('saveImage', ['tensor', 'fp', 'format', 'nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue'], { required: 2 });

function formatOf(path: string, format: unknown): 'png' | 'jpeg' {
  if (format !== undefined) {
    const f = typeof format === 'string' ? format.toLowerCase() : format;
    if (f === 'png') return 'png';
    if (f === 'jpeg' || f === 'jpg') return 'jpeg';
    throw new TypeError(`saveImage: expected format 'png' or 'jpeg', got ${JSON.stringify(format)}`);
  }
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'png') return 'png';
  if (ext === 'jpg' || ext === 'jpeg') return 'jpeg';
  throw new RangeError(`saveImage: cannot tell the image format from the file name '${path}' (extension ${ext === undefined ? 'missing' : `'.${ext}'`}); use .png, .jpg or .jpeg, or pass { format: 'png' }`);
}

/**
 * torchvision's `utils.save_image` (Node): {@link makeGrid} of a float batch `[B, C, H, W]` (or
 * one image `[C, H, W]`, values in `[0, 1]`), converted to 8 bits as torchvision does
 * (`x·255 + 0.5`, clamped to `[0, 255]`, truncated) and written as PNG or JPEG (quality 75) by the
 * file's extension or `format`. One-channel images are written as RGB (makeGrid repeats the
 * channel), as torchvision does.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { rand } from '@tensorgrad/tensor';
 * import { readImage, saveImage } from '@tensorgrad/vision';
 * import { mkdtemp, rm } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = await mkdtemp(join(tmpdir(), 'tg-'));
 * await saveImage(rand([6, 3, 8, 8]), join(dir, 'grid.png'), { nrow: 3, padding: 2 });
 * (await readImage(join(dir, 'grid.png'))).shape; // [3, 22, 32]
 * await rm(dir, { recursive: true });
 * ```
 */
export async function saveImage(tensor: Tensor | readonly Tensor[], fp: string, options?: SaveImageOptions): Promise<void>;
export async function saveImage(tensor: Tensor | readonly Tensor[], fp: string, format?: 'png' | 'jpeg' | 'jpg'): Promise<void>;
export async function saveImage(...args: unknown[]): Promise<void> {
  const a = parseArgs(SAVE_IMAGE, args);
  const path = a.fp;
  if (typeof path !== 'string' || path === '') throw new TypeError(`saveImage: expected a file path (a non-empty string), got ${typeof path}`);
  const format = formatOf(path, a.format);
  const gridOptions: MakeGridOptions = {};
  for (const k of ['nrow', 'padding', 'normalize', 'valueRange', 'scaleEach', 'padValue'] as const) if (a[k] !== undefined) (gridOptions as Record<string, unknown>)[k] = a[k];
  const bytes = tidy(() => {
    const grid = makeGrid(a.tensor as Tensor, gridOptions);
    if (grid.ndim !== 3) throw new RangeError(`saveImage: expected images that make a grid [C, H, W], got a grid of shape [${grid.shape.join(', ')}]`);
    return clamp(add(mul(grid, 255), 0.5), { min: 0, max: 255 });
  });
  let values: ArrayLike<number>;
  try {
    values = await bytes.data();
  } finally {
    bytes.dispose();
  }
  const [c, h, w] = bytes.shape as [number, number, number];
  if (![1, 2, 3, 4].includes(c)) throw new RangeError(`saveImage: a grid of ${c} channels cannot be saved as an image (1 to 4)`);
  if (format === 'jpeg' && c !== 1 && c !== 3) throw new RangeError(`saveImage: JPEG holds 1 or 3 channels, the grid has ${c}; save as .png`);
  const data = new Uint8Array(c * h * w);
  for (let k = 0; k < c; k++) for (let i = 0; i < h * w; i++) data[i * c + k] = Math.trunc(Number(values[k * h * w + i]));
  const pixels: Pixels = { width: w, height: h, channels: c, data };
  await writeFileBytes('saveImage', path, format === 'png' ? encodePngPixels(pixels, 6) : await encodeJpegPixels(pixels, 75));
}
