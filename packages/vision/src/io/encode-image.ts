import type { Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from '../args.js';
import { tensorToPixels } from './image-tensor.js';
import { encodeJpegPixels } from './jpeg.js';
import { writeFileBytes } from './node-fs.js';
import { encodePngPixels } from './png.js';

/** Options of {@link encodePng} and {@link writePng} (torchvision's keywords). */
export interface EncodePngOptions {
  /**
   * torchvision's `compression_level` (0–9, default 6): the zlib level of the image data. The
   * pixels are the same at every level.
   */
  compressionLevel?: number;
}

/** Options of {@link encodeJpeg} and {@link writeJpeg} (torchvision's keywords). */
export interface EncodeJpegOptions {
  /** Quality 1–100 on libjpeg's scale (default 75, torchvision's and PIL's). */
  quality?: number;
}

const ENCODE_PNG = signature('encodePng', ['input', 'compressionLevel'], { required: 1 });
const WRITE_PNG = signature('writePng', ['input', 'filename', 'compressionLevel'], { required: 2 });
const ENCODE_JPEG = signature('encodeJpeg', ['input', 'quality'], { required: 1 });
const WRITE_JPEG = signature('writeJpeg', ['input', 'filename', 'quality'], { required: 2 });

function level(op: string, v: unknown): number {
  if (v === undefined) return 6;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 9) throw new RangeError(`${op}: expected compressionLevel to be an integer 0–9, got ${String(v)}`);
  return v;
}

function quality(op: string, v: unknown): number {
  if (v === undefined) return 75;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100) throw new RangeError(`${op}: expected quality to be an integer 1–100, got ${String(v)}`);
  return v;
}

async function png(op: string, image: unknown, compressionLevel: number): Promise<Uint8Array> {
  const p = await tensorToPixels(op, image, [1, 2, 3, 4]);
  return encodePngPixels(p, compressionLevel);
}

async function jpeg(op: string, image: unknown, q: number): Promise<Uint8Array> {
  const p = await tensorToPixels(op, image, [1, 3]);
  return encodeJpegPixels(p, q);
}

/**
 * torchvision's `io.encode_png`: encodes an image `[C, H, W]` (C = 1 gray, 2 gray + alpha, 3 RGB,
 * 4 RGBA; integer values 0–255, e.g. the `int32` tensors of {@link decodeImage}) as the bytes of
 * an 8-bit PNG file. Values outside 0–255 or non-integers throw (scale a float image first:
 * `x.mul(255).add(0.5).clamp(0, 255).int()`). PNG is lossless: {@link decodeImage} gives the
 * same tensor back.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { decodeImage, encodePng } from '@tensorgrad/vision';
 * import { tensor } from '@tensorgrad/tensor';
 * const gray = tensor([[[0, 64, 128, 255]]], { dtype: 'int32' }); // [1, 1, 4]
 * const bytes = await encodePng(gray);
 * [...bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''); // 'PNG'
 * await (await decodeImage(bytes)).array(); // [[[0, 64, 128, 255]]]
 * ```
 */
export async function encodePng(input: Tensor, options?: EncodePngOptions): Promise<Uint8Array>;
export async function encodePng(input: Tensor, compressionLevel?: number): Promise<Uint8Array>;
export async function encodePng(...args: unknown[]): Promise<Uint8Array> {
  const a = parseArgs(ENCODE_PNG, args);
  return png('encodePng', a.input, level('encodePng', a.compressionLevel));
}

/**
 * torchvision's `io.write_png` (Node): {@link encodePng}, written to `filename`.
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
 * await writePng(tensor([[[10, 20]], [[30, 40]], [[50, 60]]], { dtype: 'int32' }), join(dir, 'a.png'));
 * await (await readImage(join(dir, 'a.png'))).array(); // [[[10, 20]], [[30, 40]], [[50, 60]]]
 * await rm(dir, { recursive: true });
 * ```
 */
export async function writePng(input: Tensor, filename: string, options?: EncodePngOptions): Promise<void>;
export async function writePng(input: Tensor, filename: string, compressionLevel?: number): Promise<void>;
export async function writePng(...args: unknown[]): Promise<void> {
  const a = parseArgs(WRITE_PNG, args);
  const bytes = await png('writePng', a.input, level('writePng', a.compressionLevel));
  await writeFileBytes('writePng', a.filename as string, bytes);
}

/**
 * torchvision's `io.encode_jpeg`: encodes an image `[C, H, W]` (C = 1 gray or 3 RGB; integer
 * values 0–255) as the bytes of a baseline JPEG file with libjpeg's quality scale (default 75),
 * 4:2:0 chroma subsampling, like torchvision and PIL, and optimised Huffman tables. The encoder is
 * MozJPEG's, so the bytes (not the format, quality or size class) differ from theirs; JPEG is
 * lossy, so decoding gives back an approximation.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { decodeImage, encodeJpeg } from '@tensorgrad/vision';
 * import { full } from '@tensorgrad/tensor';
 * const flat = full([3, 8, 8], 200, { dtype: 'int32' });
 * const bytes = await encodeJpeg(flat, { quality: 90 });
 * [bytes[0], bytes[1]]; // [255, 216]
 * const back = await (await decodeImage(bytes)).data();
 * Math.max(...back.map((v) => Math.abs(v - 200))) <= 1; // true
 * ```
 */
export async function encodeJpeg(input: Tensor, options?: EncodeJpegOptions): Promise<Uint8Array>;
export async function encodeJpeg(input: Tensor, quality?: number): Promise<Uint8Array>;
export async function encodeJpeg(...args: unknown[]): Promise<Uint8Array> {
  const a = parseArgs(ENCODE_JPEG, args);
  return jpeg('encodeJpeg', a.input, quality('encodeJpeg', a.quality));
}

/**
 * torchvision's `io.write_jpeg` (Node): {@link encodeJpeg}, written to `filename`.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { readImage, writeJpeg } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import { mkdtemp, rm } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = await mkdtemp(join(tmpdir(), 'tg-'));
 * await writeJpeg(zeros([3, 16, 16], { dtype: 'int32' }), join(dir, 'black.jpg'), { quality: 95 });
 * (await readImage(join(dir, 'black.jpg'))).shape; // [3, 16, 16]
 * await rm(dir, { recursive: true });
 * ```
 */
export async function writeJpeg(input: Tensor, filename: string, options?: EncodeJpegOptions): Promise<void>;
export async function writeJpeg(input: Tensor, filename: string, quality?: number): Promise<void>;
export async function writeJpeg(...args: unknown[]): Promise<void> {
  const a = parseArgs(WRITE_JPEG, args);
  const bytes = await jpeg('writeJpeg', a.input, quality('writeJpeg', a.quality));
  await writeFileBytes('writeJpeg', a.filename as string, bytes);
}
