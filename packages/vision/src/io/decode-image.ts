import type { Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { pixelsToTensor } from './image-tensor.js';
import { decodeJpeg, isJpeg } from './jpeg.js';
import { readFileBytes } from './node-fs.js';
import { convertChannels, IMAGE_READ_MODES, type ImageReadMode, type Pixels } from './pixels.js';
import { decodePng, isPng } from './png.js';

export type { ImageReadMode } from './pixels.js';

/** Options of {@link decodeImage} and {@link readImage} (torchvision's keywords). */
export interface DecodeImageOptions {
  /** torchvision's `ImageReadMode`, lower case (default `'unchanged'`): the channels of the result. */
  mode?: ImageReadMode;
}

const DECODE_IMAGE = signature('decodeImage', ['input', 'mode'], { required: 1 });
const READ_IMAGE = signature('readImage', ['path', 'mode'], { required: 1 });

function toBytes(op: string, input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError(`${op}: expected the encoded image as a Uint8Array or ArrayBuffer (e.g. the bytes of a .png or .jpg file), got ${input === null ? 'null' : typeof input}`);
}

function checkMode(op: string, mode: unknown): ImageReadMode {
  if (mode === undefined) return 'unchanged';
  if (typeof mode === 'string' && (IMAGE_READ_MODES as readonly string[]).includes(mode)) return mode as ImageReadMode;
  const hint = typeof mode === 'string' && (IMAGE_READ_MODES as readonly string[]).includes(mode.toLowerCase()) ? ` (write '${mode.toLowerCase()}')` : '';
  throw new TypeError(`${op}: expected mode to be one of ${IMAGE_READ_MODES.map((m) => `'${m}'`).join(', ')} (torchvision's ImageReadMode), got ${JSON.stringify(mode)}${hint}`);
}

const KNOWN_FORMATS: readonly [string, (b: Uint8Array) => boolean][] = [
  ['GIF', (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38],
  ['BMP', (b) => b[0] === 0x42 && b[1] === 0x4d],
  ['WebP', (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50],
  ['TIFF', (b) => (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)],
  ['PNM (PPM/PGM)', (b) => b[0] === 0x50 && b[1]! >= 0x31 && b[1]! <= 0x36],
];

function unknownFormat(op: string, bytes: Uint8Array): RangeError {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length > 0 && bytes.length < 8 && bytes.every((b, i) => b === png[i])) {
    return new RangeError(`${op}: the PNG data is truncated: ${bytes.length} bytes, not even the 8-byte signature; the file is incomplete`);
  }
  if (bytes.length > 0 && bytes.length < 3 && bytes[0] === 0xff && (bytes.length === 1 || bytes[1] === 0xd8)) {
    return new RangeError(`${op}: the JPEG data is truncated: ${bytes.length} bytes, no marker after the start of image; the file is incomplete`);
  }
  if (bytes.length === 0) return new RangeError(`${op}: the image data is empty (0 bytes); expected the bytes of a PNG or JPEG file`);
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
  const known = KNOWN_FORMATS.find(([, test]) => test(bytes));
  const what = known ? `, which looks like ${known[0]}, a format tensorgrad cannot decode; convert it to PNG or JPEG` : '';
  return new RangeError(`${op}: unknown image format: expected PNG (starting 89 50 4E 47 0D 0A 1A 0A) or JPEG (starting FF D8 FF) data, found bytes ${head}${what}`);
}

/** @internal Decodes PNG or JPEG bytes to 8-bit pixels in `mode`. */
export async function decodeToPixels(op: string, bytes: Uint8Array, mode: ImageReadMode): Promise<Pixels> {
  if (isPng(bytes)) return decodePng(op, bytes, mode);
  if (isJpeg(bytes)) {
    const gray = mode === 'gray' || mode === 'gray_alpha';
    const p = await decodeJpeg(op, bytes, gray ? 'gray' : 'color');
    const stored = p.info.colorSpace === 'gray' ? 1 : 3;
    const target = mode === 'unchanged' ? stored : mode === 'gray' ? 1 : mode === 'gray_alpha' ? 2 : mode === 'rgb' ? 3 : 4;
    if (mode === 'unchanged' && stored === 1) return convertChannels(p, 1, (r) => r);
    return convertChannels(p, target, (r) => r);
  }
  throw unknownFormat(op, bytes);
}

/**
 * torchvision's `io.decode_image`: decodes the bytes of a PNG or JPEG file to an image tensor
 * `[C, H, W]`.
 *
 * The result is an **`int32` tensor with values 0–255** ("uint8-valued"): tensorgrad has no
 * `uint8` dtype (WGSL has no 8-bit arithmetic type and tfjs-core no uint8 dtype, so it would exist
 * on one backend only). `toTensor` turns it into a float image in `[0, 1]`; `x.float().div(255)`
 * does the same by hand.
 *
 * `mode` is torchvision's `ImageReadMode`: `'unchanged'` (the file's channels: 1 gray, 2 gray +
 * alpha, 3 RGB, 4 RGBA), `'gray'`, `'gray_alpha'`, `'rgb'` or `'rgb_alpha'`. The conversions are
 * torchvision 0.14's: gray from RGB is libpng's `rgb_to_gray` with weights 0.2989/0.587/0.114
 * for PNG (truncated; in linear light when the file has a gAMA or sRGB chunk, as libpng does), and
 * the JPEG's own luma Y for JPEG; RGB from gray replicates; a missing alpha is 255. The pixels are PIL's and torchvision's: JPEG is decoded by libjpeg-turbo's decoder
 * (MozJPEG, WebAssembly) with its defaults, PNG by fast-png.
 *
 * Differences from torchvision 0.14, which refuses or garbles these files: a 16-bit PNG keeps the
 * high byte of each sample (as PIL does for 16-bit RGB); a palette PNG is expanded to its colours
 * (RGBA with a tRNS chunk) also in `'unchanged'` mode (torchvision returns the palette indices);
 * a 1/2/4-bit gray PNG gets alpha 255 (torchvision: 1, 3, 15); a JPEG accepts `'gray_alpha'` and
 * `'rgb_alpha'` (alpha 255). ICC profiles and EXIF orientation are ignored, as torchvision 0.14
 * does (an embedded sRGB ICC profile that libpng recognises would make its gray differ). CMYK JPEGs, GIF, BMP, WebP and TIFF are
 * refused with an error naming the format.
 *
 * Truncated or corrupt data (a chunk or segment cut off, a bad CRC, libjpeg's "corrupt data"
 * warnings) throws a `RangeError` saying where; nothing is decoded from a damaged file.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { decodeImage, encodePng } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * const rgb = tensor([[[255, 0]], [[0, 128]], [[0, 255]]], { dtype: 'int32' }); // [3, 1, 2]: red, teal
 * const png = await encodePng(rgb);
 * const img = await decodeImage(png);
 * img.dtype; // 'int32'
 * await img.array(); // [[[255, 0]], [[0, 128]], [[0, 255]]]
 * // gray: libpng's weights, truncated (255·0.2989 → 76; 128·0.587 + 255·0.114 → 104)
 * await (await decodeImage(png, { mode: 'gray' })).array(); // [[[76, 104]]]
 * (await decodeImage(png, 'rgb_alpha')).shape; // [4, 1, 2]
 * ```
 */
export async function decodeImage(input: Uint8Array | ArrayBuffer, options?: DecodeImageOptions): Promise<Tensor>;
export async function decodeImage(input: Uint8Array | ArrayBuffer, mode?: ImageReadMode): Promise<Tensor>;
export async function decodeImage(...args: unknown[]): Promise<Tensor> {
  const a = parseArgs(DECODE_IMAGE, args);
  const bytes = toBytes('decodeImage', a.input);
  const mode = checkMode('decodeImage', a.mode);
  return pixelsToTensor(await decodeToPixels('decodeImage', bytes, mode));
}

/**
 * torchvision's `io.read_image` (Node): reads a PNG or JPEG file and decodes it with
 * {@link decodeImage} to an `int32` tensor `[C, H, W]` with values 0–255. In a browser, fetch the
 * bytes and call `decodeImage`.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { readImage, writePng } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * import { mkdtemp, rm } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = await mkdtemp(join(tmpdir(), 'tg-'));
 * await writePng(tensor([[[0, 255], [255, 0]]], { dtype: 'int32' }), join(dir, 'checker.png'));
 * const img = await readImage(join(dir, 'checker.png'), { mode: 'rgb' });
 * img.shape; // [3, 2, 2]
 * await rm(dir, { recursive: true });
 * ```
 */
export async function readImage(path: string, options?: DecodeImageOptions): Promise<Tensor>;
export async function readImage(path: string, mode?: ImageReadMode): Promise<Tensor>;
export async function readImage(...args: unknown[]): Promise<Tensor> {
  const a = parseArgs(READ_IMAGE, args);
  const mode = checkMode('readImage', a.mode);
  const bytes = await readFileBytes('readImage', a.path as string);
  try {
    return pixelsToTensor(await decodeToPixels('readImage', bytes, mode));
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${(e as Error).message} (file '${String(a.path)}')`);
    throw e;
  }
}
