/** @internal PNG decoding and encoding through fast-png, with torchvision's mode conversions. */
import { decode as decodePngBytes, encode as encodePngBytes } from 'fast-png';
import { convertChannels, pngGray, RGB_TO_GRAY, type ImageReadMode, type Pixels } from './pixels.js';

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** @internal Whether `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * The chunk layout, checked before decoding so that truncation is reported as such; returns the
 * file's gamma as libpng records it (×100000: the gAMA value, 45455 for an sRGB chunk, 0 if none).
 */
function checkChunks(op: string, bytes: Uint8Array): number {
  let gamma = 0;
  let srgb = false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let first = true;
  let idat = 0;
  let afterIdat = false;
  const seen = new Set<string>();
  for (;;) {
    if (pos + 8 > bytes.length) {
      throw new RangeError(`${op}: the PNG data is truncated: it ends at byte ${bytes.length} before the IEND chunk (a chunk header needs 8 bytes at offset ${pos}); the file is incomplete`);
    }
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    if (!/^[A-Za-z]{4}$/.test(type)) {
      throw new RangeError(`${op}: the PNG data is corrupt: expected a chunk type (4 letters) at offset ${pos + 4}, found bytes [${[...bytes.subarray(pos + 4, pos + 8)].join(', ')}]`);
    }
    if (first && type !== 'IHDR') throw new RangeError(`${op}: the PNG data is corrupt: the first chunk must be IHDR, found '${type}'`);
    first = false;
    const end = pos + 12 + length;
    if (end > bytes.length) {
      throw new RangeError(`${op}: the PNG data is truncated: chunk '${type}' at offset ${pos} needs ${length + 12} bytes but only ${bytes.length - pos} remain; the file is incomplete`);
    }
    if (type === 'IEND') {
      checkHeader(op, bytes.subarray(8, 8 + 12 + view.getUint32(8)), idat);
      return srgb ? 45455 : gamma;
    }
    // the order the specification requires of the chunks that shape the pixels (libpng refuses
    // or ignores the others; either way fast-png alone would decode something else)
    if (type === 'IHDR' || type === 'PLTE' || type === 'tRNS') {
      if (seen.has(type)) throw new RangeError(`${op}: the PNG data is corrupt: a second '${type}' chunk at offset ${pos}; expected one`);
      if (idat > 0 || afterIdat) throw new RangeError(`${op}: the PNG data is corrupt: a '${type}' chunk at offset ${pos} after the image data (IDAT); expected it before`);
      if (type === 'tRNS' && bytes[25] === 3 && !seen.has('PLTE')) throw new RangeError(`${op}: the PNG data is corrupt: the 'tRNS' chunk at offset ${pos} comes before the palette (PLTE)`);
      seen.add(type);
    }
    if (type === 'IDAT') {
      if (afterIdat) throw new RangeError(`${op}: the PNG data is corrupt: an 'IDAT' chunk at offset ${pos} after other chunks that followed the image data; expected consecutive IDAT chunks`);
      idat += length;
    } else if (idat > 0) afterIdat = true;
    if (type === 'gAMA' && length === 4) gamma = view.getUint32(pos + 8);
    if (type === 'sRGB') srgb = true;
    pos = end;
  }
}

/** The bit depths each PNG colour type allows, and its samples per pixel. */
const COLOR_TYPES: Readonly<Record<number, { depths: readonly number[]; samples: number; name: string }>> = {
  0: { depths: [1, 2, 4, 8, 16], samples: 1, name: 'gray' },
  2: { depths: [8, 16], samples: 3, name: 'RGB' },
  3: { depths: [1, 2, 4, 8], samples: 1, name: 'palette' },
  4: { depths: [8, 16], samples: 2, name: 'gray + alpha' },
  6: { depths: [8, 16], samples: 4, name: 'RGBA' },
};

/** deflate's largest compression ratio (a 258-byte match in 2 bits): no IDAT data inflates to more than this many times its size. */
const MAX_INFLATE_RATIO = 1032;

/**
 * Validates the IHDR chunk (`chunk`: length, type, data, CRC) before the codec sees it: the size,
 * bit depth, colour type and methods the PNG specification allows, an image small enough for a
 * tensor, and pixel data the `idat` bytes of IDAT chunks can hold — so that a header declaring
 * 2^31 × 2^16 pixels in a 100-byte file is refused at once instead of allocating and looping.
 */
function checkHeader(op: string, chunk: Uint8Array, idat: number): void {
  const corrupt = (what: string): RangeError => new RangeError(`${op}: the PNG data is corrupt: ${what}`);
  if (chunk.length !== 12 + 13) throw corrupt(`the IHDR chunk has ${chunk.length - 12} bytes of data, expected 13`);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const width = view.getUint32(8);
  const height = view.getUint32(12);
  const [depth, colorType, compression, filter, interlace] = chunk.subarray(16, 21) as unknown as [number, number, number, number, number];
  const max = 2 ** 31 - 1;
  if (width === 0 || height === 0 || width > max || height > max) {
    throw corrupt(`the IHDR declares a ${width}×${height} image; expected a width and height from 1 to ${max}`);
  }
  const type = COLOR_TYPES[colorType];
  if (!type) throw corrupt(`the IHDR declares colour type ${colorType}; expected 0 (gray), 2 (RGB), 3 (palette), 4 (gray + alpha) or 6 (RGBA)`);
  if (!type.depths.includes(depth)) throw corrupt(`the IHDR declares bit depth ${depth} for colour type ${colorType} (${type.name}); expected one of ${type.depths.join(', ')}`);
  if (compression !== 0 || filter !== 0 || interlace > 1) {
    throw corrupt(`the IHDR declares compression method ${compression}, filter method ${filter} and interlace method ${interlace}; expected 0, 0 and 0 or 1`);
  }
  if (width * height > Math.floor(max / 4)) {
    throw new RangeError(`${op}: the PNG image is ${width}×${height}, too large to decode: tensorgrad tensors hold at most 2^31 - 1 elements (4 channels × ${width * height} pixels)`);
  }
  const sampleBytes = height * Math.ceil((width * type.samples * depth) / 8);
  if (sampleBytes > MAX_INFLATE_RATIO * idat + 1024) {
    throw corrupt(
      `the IHDR declares a ${width}×${height} image (${sampleBytes} bytes of samples) but its IDAT chunks hold ${idat} bytes, ` +
        `which inflate to at most ${MAX_INFLATE_RATIO * idat} bytes; the file is truncated or hostile`,
    );
  }
}

/** The Adam7 passes: first column, first row, column step, row step. */
const ADAM7: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

/** The exact size of the inflated IDAT data of a valid image: every row of every pass with its filter byte. */
function rawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number): number => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce((n, [x0, y0, dx, dy]) => n + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/**
 * Inflates the IDAT data with the platform's streaming `DecompressionStream`, stopping
 * as soon as it yields more than the image needs: a zlib stream that inflates far beyond its
 * image (a "zlib bomb", up to 1032 times the file) is refused before the codec, which inflates
 * the whole stream into memory, sees it.
 */
async function checkPngInflatedSize(op: string, bytes: Uint8Array): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [depth, colorType, , , interlace] = bytes.subarray(24, 29) as unknown as [number, number, number, number, number];
  const need = rawSize(width, height, depth * COLOR_TYPES[colorType]!.samples, interlace === 1);
  const parts: Uint8Array[] = [];
  for (let pos = 8; pos + 8 <= bytes.length; ) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    if (type === 'IEND') break;
    if (type === 'IDAT') parts.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos += 12 + length;
  }
  // extra data after the image is tolerated (libpng warns only), up to the image's size again
  const limit = 2 * need + 65536;
  const stream = new Blob(parts as BlobPart[]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  let got = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      got += value.length;
      if (got > limit) {
        throw new RangeError(
          `${op}: the PNG data is corrupt: its IDAT data inflates to more than ${limit} bytes, while a ${width}×${height} image needs ${need} ` +
            '(stopped there: a zlib stream that inflates far beyond its image is refused before it fills memory)',
        );
      }
    }
  } catch (e) {
    if (e instanceof RangeError) throw e;
    // a broken zlib stream: the codec reports it with its own words
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

/** Unpacks 1/2/4-bit samples (rows start on a byte) to one byte each, multiplied by `scale`. */
function unpack(data: Uint8Array, width: number, height: number, depth: number, scale: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const stride = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * stride + (bit >> 3)]!;
      out[y * width + x] = ((byte >> (8 - depth - (bit & 7))) & mask) * scale;
    }
  }
  return out;
}

/**
 * @internal Decodes a PNG to 8-bit pixels in `mode`. 16-bit samples keep their high byte (as PIL
 * does for 16-bit RGB); 1/2/4-bit gray is scaled to 0–255 (libpng's expand); a palette is expanded
 * to its colours (RGBA when the file has a tRNS chunk), in every mode including `unchanged`.
 */
export async function decodePng(op: string, bytes: Uint8Array, mode: ImageReadMode): Promise<Pixels> {
  const fileGamma = checkChunks(op, bytes);
  await checkPngInflatedSize(op, bytes);
  let png: ReturnType<typeof decodePngBytes>;
  try {
    png = decodePngBytes(bytes, { checkCrc: true });
  } catch (e) {
    throw new RangeError(`${op}: the PNG data is corrupt (${(e as Error).message}); the file is damaged or not a valid PNG`);
  }
  const { width, height, depth, channels } = png;
  if (bytes[25] === 3 && png.palette === undefined) {
    throw new RangeError(`${op}: the PNG data is corrupt: the image has colour type 3 (palette) but no PLTE chunk before its IDAT data`);
  }
  if (width === 0 || height === 0) throw new RangeError(`${op}: the PNG image is empty (${width}×${height})`);
  let data: Uint8Array;
  let stored = channels;
  // a PLTE chunk is the image's palette only for colour type 3; in an RGB(A) image it is a
  // suggested palette for display (the PNG specification, 11.2.3), and the pixels are colours
  if (png.palette !== undefined && bytes[25] === 3) {
    const idx = depth < 8 ? unpack(png.data as Uint8Array, width, height, depth, 1) : (png.data as Uint8Array);
    const palette = png.palette;
    const alpha = palette.some((c) => c.length === 4);
    stored = alpha ? 4 : 3;
    data = new Uint8Array(width * height * stored);
    for (let i = 0; i < width * height; i++) {
      const c = palette[idx[i]!];
      if (c === undefined) throw new RangeError(`${op}: the PNG data is corrupt: pixel ${i} uses palette entry ${idx[i]} but the palette has ${palette.length} colours`);
      for (let k = 0; k < stored; k++) data[i * stored + k] = k < c.length ? c[k]! : 255;
    }
  } else if (depth === 16) {
    const src = png.data as Uint16Array;
    data = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) data[i] = src[i]! >> 8;
  } else if (depth < 8) {
    data = unpack(png.data as Uint8Array, width, height, depth, 255 / ((1 << depth) - 1));
  } else {
    data = png.data instanceof Uint8Array ? png.data : Uint8Array.from(png.data);
  }
  const pixels: Pixels = { width, height, channels: stored, data };
  if (mode === 'unchanged') return pixels;
  return convertChannels(pixels, mode === 'gray' ? 1 : mode === 'gray_alpha' ? 2 : mode === 'rgb' ? 3 : 4, grayFor(fileGamma));
}

/** libpng's `png_gamma_significant`: more than 5% away from 1 (values ×100000). */
const significant = (g: number): boolean => g < 95000 || g > 105000;
/** libpng's `png_reciprocal` in fixed point (×100000). */
const reciprocal = (g: number): number => Math.floor(1e10 / g + 0.5);
/** libpng's `png_build_8bit_table` (`png_gamma_8bit_correct` with floating point arithmetic). */
function gammaTable(g: number): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => (significant(g) && i > 0 && i < 255 ? Math.floor(255 * Math.pow(i / 255, g * 0.00001) + 0.5) : i));
}

/**
 * The RGB → gray of libpng's `png_do_rgb_to_gray` for a file with gamma `fileGamma`: without a
 * significant gamma the integer formula {@link pngGray}; with one (a gAMA ≠ 1 or an sRGB chunk)
 * libpng weighs linearised values — encoded → linear with exponent 1/gamma, the weighted sum
 * rounded, linear → encoded with exponent gamma (its screen gamma defaults to the file's).
 */
function grayFor(fileGamma: number): typeof pngGray {
  if (fileGamma === 0 || !significant(fileGamma)) return pngGray;
  const screen = reciprocal(fileGamma);
  const toLinear = gammaTable(reciprocal(fileGamma));
  const fromLinear = gammaTable(reciprocal(screen));
  return (r, g, b) => (r === g && g === b ? r : fromLinear[(RGB_TO_GRAY[0] * toLinear[r]! + RGB_TO_GRAY[1] * toLinear[g]! + RGB_TO_GRAY[2] * toLinear[b]! + 16384) >> 15]!);
}

/** @internal Encodes 8-bit pixels (1–4 channels) as a PNG (fast-png, zlib via fflate). */
export function encodePngPixels(p: Pixels, level: number): Uint8Array {
  return encodePngBytes({ width: p.width, height: p.height, data: p.data, depth: 8, channels: p.channels }, { zlib: { level: level as 0 } });
}
