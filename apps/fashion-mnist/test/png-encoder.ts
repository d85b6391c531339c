// An independent PNG encoder for the tests: node:zlib's deflate, a bitwise CRC-32 (no table), and
// each of the five row filters applied forwards.
import { deflateSync } from 'node:zlib';

export function crcBitwise(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crcBitwise(out.subarray(4, 8 + data.length)));
  return out;
}

function predictor(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return Math.floor((a + b) / 2);
    default: {
      // Paeth, as written in the PNG specification
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      if (pa <= pb && pa <= pc) return a;
      if (pb <= pc) return b;
      return c;
    }
  }
}

export interface EncodeOptions {
  width: number;
  height: number;
  colorType: number;
  depth: number;
  /** packed rows (without filter bytes) */
  rows: Uint8Array[];
  palette?: number[];
  trns?: number[];
  interlace?: number;
  /** filter of row y: filters[y % filters.length] */
  filters?: number[];
  extraChunks?: Uint8Array[];
}

export function encodePng(o: EncodeOptions): Uint8Array {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[o.colorType]!;
  const bpp = Math.max(1, (channels * o.depth) >> 3);
  const filters = o.filters ?? [0, 1, 2, 3, 4];
  const stride = o.rows[0]!.length;
  const raw = new Uint8Array(o.height * (stride + 1));
  o.rows.forEach((row, y) => {
    const f = filters[y % filters.length]!;
    raw[y * (stride + 1)] = f;
    const prev = y > 0 ? o.rows[y - 1]! : null;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prev ? prev[i]! : 0;
      const c = prev && i >= bpp ? prev[i - bpp]! : 0;
      raw[y * (stride + 1) + 1 + i] = (row[i]! - predictor(f, a, b, c) + 256) & 0xff;
    }
  });
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, o.width);
  v.setUint32(4, o.height);
  ihdr.set([o.depth, o.colorType, 0, 0, o.interlace ?? 0], 8);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr)];
  if (o.palette) parts.push(chunk('PLTE', new Uint8Array(o.palette)));
  if (o.trns) parts.push(chunk('tRNS', new Uint8Array(o.trns)));
  for (const c of o.extraChunks ?? []) parts.push(c);
  const z = deflateSync(raw);
  // split the image data over two IDAT chunks, as encoders may
  const half = Math.floor(z.length / 2);
  parts.push(chunk('IDAT', z.subarray(0, half)), chunk('IDAT', z.subarray(half)), chunk('IEND', new Uint8Array()));
  return Buffer.concat(parts);
}

/** Deterministic pseudo-random bytes. */
export function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function rowsOf(data: Uint8Array, height: number): Uint8Array[] {
  const stride = data.length / height;
  return Array.from({ length: height }, (_, y) => data.subarray(y * stride, (y + 1) * stride));
}
