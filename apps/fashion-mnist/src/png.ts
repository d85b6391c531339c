import { inflateSync } from 'node:zlib';
import { fromTypedArray, interpolate, tidy, type Tensor } from 'tensorgrad';

/** A decoded PNG: 8-bit samples, row-major, `channels` per pixel. */
export interface DecodedPng {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** Samples per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (palette images decode to 3 or 4). */
  channels: 1 | 2 | 3 | 4;
  /** `height * width * channels` samples, 0–255 (16-bit images keep their high byte). */
  data: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

const COLOR_TYPES: Readonly<Record<number, { name: string; samples: number; depths: readonly number[] }>> = {
  0: { name: 'greyscale', samples: 1, depths: [1, 2, 4, 8, 16] },
  2: { name: 'RGB', samples: 3, depths: [8, 16] },
  3: { name: 'palette', samples: 1, depths: [1, 2, 4, 8] },
  4: { name: 'greyscale+alpha', samples: 2, depths: [8, 16] },
  6: { name: 'RGBA', samples: 4, depths: [8, 16] },
};

let crcTable: Uint32Array | null = null;

/**
 * The CRC-32 of `bytes` (the checksum of PNG chunks and gzip), optionally continuing from `crc`.
 *
 * @example
 * ```ts
 * import { crc32 } from '@tensorgrad/fashion-mnist';
 * crc32(new TextEncoder().encode('IEND')).toString(16); // 'ae426082'
 * ```
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a PNG file (non-interlaced; greyscale, greyscale+alpha, RGB, RGBA or palette, 8-bit,
 * plus 1/2/4-bit greyscale and palette and 16-bit images) into 8-bit samples. Palette images
 * become RGB, or RGBA when they have a `tRNS` chunk. Checks the signature and every chunk's CRC,
 * and says clearly what is wrong or not supported.
 *
 * @example
 * ```ts
 * import { decodePng } from '@tensorgrad/fashion-mnist';
 * let message = '';
 * try {
 *   decodePng(new TextEncoder().encode('GIF89a...'));
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes('not a PNG file'); // true
 * ```
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new Error('decodePng: not a PNG file (the first 8 bytes are not the PNG signature); convert the image to PNG first');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let header: { width: number; height: number; depth: number; colorType: number; interlace: number } | null = null;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (pos < bytes.length) {
    if (pos + 12 > bytes.length) throw new Error(`decodePng: the file is truncated (a chunk header at byte ${pos} is cut off)`);
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (pos + 12 + length > bytes.length) throw new Error(`decodePng: the file is truncated (chunk ${type} at byte ${pos} declares ${length} bytes)`);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    const stored = view.getUint32(pos + 8 + length);
    const actual = crc32(bytes.subarray(pos + 4, pos + 8 + length));
    if (stored !== actual) throw new Error(`decodePng: chunk ${type} at byte ${pos} has CRC ${stored.toString(16)} but its contents give ${actual.toString(16)}; the file is corrupt`);
    pos += 12 + length;
    if (type === 'IHDR') {
      if (length !== 13) throw new Error(`decodePng: IHDR must be 13 bytes, got ${length}; the file is corrupt`);
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      header = { width: d.getUint32(0), height: d.getUint32(4), depth: data[8]!, colorType: data[9]!, interlace: data[12]! };
      if (data[10] !== 0 || data[11] !== 0) throw new Error(`decodePng: unknown compression method ${data[10]} or filter method ${data[11]}; the file is corrupt`);
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    } else if ((type.charCodeAt(0) & 0x20) === 0) {
      // an unknown chunk whose name starts with a capital letter is critical: it changes how to decode
      throw new Error(`decodePng: critical chunk ${type} is not supported yet`);
    }
  }
  if (!header) throw new Error('decodePng: the file has no IHDR chunk; the file is corrupt');
  if (!ended) throw new Error('decodePng: the file has no IEND chunk; it is truncated');
  const { width, height, depth, colorType, interlace } = header;
  const ct = COLOR_TYPES[colorType];
  if (!ct) throw new Error(`decodePng: unknown colour type ${colorType}; the file is corrupt`);
  if (!ct.depths.includes(depth)) throw new Error(`decodePng: bit depth ${depth} is not valid for ${ct.name} images (allowed: ${ct.depths.join(', ')})`);
  if (interlace !== 0) {
    throw new Error('decodePng: interlaced (Adam7) PNGs are not supported yet; re-save the image without interlacing (e.g. `convert in.png -interlace none out.png`)');
  }
  if (width === 0 || height === 0) throw new Error(`decodePng: the image is ${width}x${height}; expected at least one pixel`);
  if (colorType === 3 && !palette) throw new Error('decodePng: a palette image without a PLTE chunk; the file is corrupt');
  if (idat.length === 0) throw new Error('decodePng: the file has no image data (IDAT)');
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  } catch (e) {
    throw new Error(`decodePng: the image data does not decompress (${(e as Error).message}); the file is corrupt`);
  }
  const bitsPerPixel = ct.samples * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (raw.length < height * (stride + 1)) {
    throw new Error(`decodePng: the image data has ${raw.length} bytes, expected ${height * (stride + 1)} for ${width}x${height} ${ct.name} at ${depth} bits; the file is corrupt`);
  }
  // undo the per-row filters
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prev ? prev[i]! : 0;
      const c = prev && i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0:
          v = src[i]!;
          break;
        case 1:
          v = src[i]! + a;
          break;
        case 2:
          v = src[i]! + b;
          break;
        case 3:
          v = src[i]! + ((a + b) >> 1);
          break;
        case 4:
          v = src[i]! + paeth(a, b, c);
          break;
        default:
          throw new Error(`decodePng: row ${y} uses unknown filter type ${filter}; the file is corrupt`);
      }
      row[i] = v & 0xff;
    }
  }
  // samples -> 8-bit
  const sample = (y: number, i: number): number => {
    const row = y * stride;
    if (depth === 8) return pixels[row + i]!;
    if (depth === 16) return pixels[row + 2 * i]!;
    const bit = i * depth;
    return (pixels[row + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
  };
  const sample16 = (y: number, i: number): number => (depth === 16 ? (pixels[y * stride + 2 * i]! << 8) | pixels[y * stride + 2 * i + 1]! : sample(y, i));
  if (colorType === 3) {
    const entries = palette!.length / 3;
    const alpha = transparency !== null;
    const channels = alpha ? 4 : 3;
    const out = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const k = sample(y, x);
        if (k >= entries) throw new Error(`decodePng: pixel (${x}, ${y}) uses palette entry ${k} but the palette has ${entries}; the file is corrupt`);
        const o = (y * width + x) * channels;
        out[o] = palette![3 * k]!;
        out[o + 1] = palette![3 * k + 1]!;
        out[o + 2] = palette![3 * k + 2]!;
        if (alpha) out[o + 3] = k < transparency!.length ? transparency![k]! : 255;
      }
    }
    return { width, height, channels: channels as 3 | 4, data: out };
  }
  const scale = depth < 8 ? 255 / ((1 << depth) - 1) : 1;
  // a tRNS chunk on grey or RGB images names one transparent colour (compared at full depth)
  const key = transparency && (colorType === 0 || colorType === 2) ? Array.from({ length: transparency.length / 2 }, (_, i) => (transparency![2 * i]! << 8) | transparency![2 * i + 1]!) : null;
  const channels = (ct.samples + (key ? 1 : 0)) as 1 | 2 | 3 | 4;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      for (let s = 0; s < ct.samples; s++) out[o + s] = Math.round(sample(y, x * ct.samples + s) * scale);
      if (key) {
        const opaque = key.some((v, s) => sample16(y, x * ct.samples + s) !== v);
        out[o + ct.samples] = opaque ? 255 : 0;
      }
    }
  }
  return { width, height, channels, data: out };
}

/** Options of {@link pngToInput}. */
export interface PngToInputOptions {
  /** Invert the grey levels (255 - v), for dark garments on a light background. */
  invert?: boolean;
  /** Output side (default 28). */
  size?: number;
}

/**
 * Turns a decoded PNG into one Fashion-MNIST input, float32 `[1, 1, 28, 28]` in [0, 1]: grey
 * levels (ITU-R 601 luma `0.299 R + 0.587 G + 0.114 B`, like PIL's `convert('L')`), transparent
 * pixels turned into the black background, optionally inverted, resized with bilinear `interpolate`.
 * Fashion-MNIST shows light garments on a black background; pass `invert: true` for photos of
 * dark garments on a light background.
 *
 * @example
 * ```ts
 * import { pngToInput } from '@tensorgrad/fashion-mnist';
 * const white = { width: 2, height: 2, channels: 1 as const, data: new Uint8Array([255, 255, 255, 255]) };
 * const x = pngToInput(white, { invert: true });
 * x.shape; // [1, 1, 28, 28]
 * await x.max().item(); // 0
 * x.dispose();
 * ```
 */
export function pngToInput(png: DecodedPng, options: PngToInputOptions = {}): Tensor {
  const { width, height, channels, data } = png;
  const grey = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * channels;
    let v: number;
    let alpha = 1;
    if (channels <= 2) {
      v = data[o]!;
      if (channels === 2) alpha = data[o + 1]! / 255;
    } else {
      v = 0.299 * data[o]! + 0.587 * data[o + 1]! + 0.114 * data[o + 2]!;
      if (channels === 4) alpha = data[o + 3]! / 255;
    }
    // transparent pixels become background: black, or white before inverting
    v = v * alpha + (options.invert ? 255 : 0) * (1 - alpha);
    grey[i] = (options.invert ? 255 - v : v) / 255;
  }
  const size = options.size ?? 28;
  return tidy(() => {
    const x = fromTypedArray(grey, [1, 1, height, width]);
    return width === size && height === size ? x : interpolate(x, { size: [size, size], mode: 'bilinear' });
  });
}
