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
    if (type === 'IEND') return srgb ? 45455 : gamma;
    if (type === 'gAMA' && length === 4) gamma = view.getUint32(pos + 8);
    if (type === 'sRGB') srgb = true;
    pos = end;
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
export function decodePng(op: string, bytes: Uint8Array, mode: ImageReadMode): Pixels {
  const fileGamma = checkChunks(op, bytes);
  let png: ReturnType<typeof decodePngBytes>;
  try {
    png = decodePngBytes(bytes, { checkCrc: true });
  } catch (e) {
    throw new RangeError(`${op}: the PNG data is corrupt (${(e as Error).message}); the file is damaged or not a valid PNG`);
  }
  const { width, height, depth, channels } = png;
  if (width === 0 || height === 0) throw new RangeError(`${op}: the PNG image is empty (${width}×${height})`);
  let data: Uint8Array;
  let stored = channels;
  if (png.palette !== undefined) {
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
