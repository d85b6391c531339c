/**
 * `files/png`: hostile PNG files for `decodeImage` (`@tensorgrad/vision`, which wraps fast-png).
 * Each case builds a small valid PNG by hand — any bit depth (1, 2, 4, 8, 16) and colour type
 * (gray, RGB, palette with or without tRNS, gray + alpha, RGBA), sometimes a gAMA chunk — or
 * takes `encodePng`'s output, then mutates it: the generic byte mutations (which the CRCs catch),
 * and the same changes with every CRC fixed so they reach the codec — IHDR width and height up to
 * 2^31 − 1, invalid bit depths, colour types, compression, filter and interlace methods; chunk
 * lengths beyond the file; IDAT data truncated, corrupted, or inflating far beyond the image
 * (a zlib bomb); palettes shorter than the indices; chunks repeated, dropped or reordered.
 */
import { crc32, deflateSync } from 'node:zlib';
import { tensor, tidy, type Tensor } from '@tensorgrad/tensor';
import { decodeImage, encodePng, type ImageReadMode } from '@tensorgrad/vision';
import type { FuzzTarget } from '../target.js';
import { chooser, HUGE_U32, judgeRead, mutateBytes, mutateSome, type Chooser, type Mutated } from './hostile.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MODES: readonly ImageReadMode[] = ['unchanged', 'gray', 'gray_alpha', 'rgb', 'rgb_alpha'];

/** One chunk: its type and data (length and CRC are computed when written). */
interface Chunk {
  type: string;
  data: Uint8Array;
}

function writePng(chunks: readonly Chunk[]): Uint8Array {
  const out = new Uint8Array(8 + chunks.reduce((a, c) => a + 12 + c.data.length, 0));
  out.set(SIGNATURE);
  const v = new DataView(out.buffer);
  let at = 8;
  for (const c of chunks) {
    v.setUint32(at, c.data.length);
    const typed = out.subarray(at + 4, at + 8 + c.data.length);
    typed.set([...c.type].map((ch) => ch.charCodeAt(0)));
    typed.set(c.data, 4);
    v.setUint32(at + 8 + c.data.length, crc32(typed));
    at += 12 + c.data.length;
  }
  return out;
}

/** The chunks of a PNG whose chunk layout is intact, or null. */
function readChunks(file: Uint8Array): Chunk[] | null {
  if (file.length < 8 || SIGNATURE.some((b, i) => file[i] !== b)) return null;
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 8; at < file.length; ) {
    if (at + 12 > file.length) return null;
    const len = v.getUint32(at);
    if (at + 12 + len > file.length) return null;
    chunks.push({ type: String.fromCharCode(...file.subarray(at + 4, at + 8)), data: file.slice(at + 8, at + 8 + len) });
    at += 12 + len;
    if (chunks[chunks.length - 1]!.type === 'IEND') break; // what follows IEND is ignored, as libpng does
  }
  return chunks;
}

/** Channels of each colour type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** A small valid PNG of any colour type and depth, written chunk by chunk. */
function handMadePng(c: Chooser): { bytes: Uint8Array; what: string } {
  const colorType = c.pick([0, 2, 3, 4, 6]);
  const depth = c.pick(DEPTHS[colorType]!);
  const width = 1 + c.int(9);
  const height = 1 + c.int(9);
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([depth, colorType, 0, 0, 0], 8);
  const chunks: Chunk[] = [{ type: 'IHDR', data: ihdr }];
  if (c.chance(0.2)) chunks.push({ type: 'gAMA', data: Uint8Array.of(0, 0, 0xb1, 0x8f) });
  const paletteSize = Math.min(1 << depth, 1 + c.int(16));
  if (colorType === 3) {
    chunks.push({ type: 'PLTE', data: Uint8Array.from({ length: 3 * paletteSize }, () => c.int(256)) });
    if (c.chance(0.4)) chunks.push({ type: 'tRNS', data: Uint8Array.from({ length: 1 + c.int(paletteSize) }, () => c.int(256)) });
  }
  const rowBytes = Math.ceil((width * CHANNELS[colorType]! * depth) / 8);
  const raw = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (rowBytes + 1)] = c.int(5); // filter type
    for (let x = 0; x < rowBytes; x++) raw[y * (rowBytes + 1) + 1 + x] = colorType === 3 && depth === 8 ? c.int(paletteSize) : colorType === 3 ? 0 : c.int(256);
  }
  chunks.push({ type: 'IDAT', data: new Uint8Array(deflateSync(raw)) });
  chunks.push({ type: 'IEND', data: new Uint8Array(0) });
  return { bytes: writePng(chunks), what: `${width}×${height} colour type ${colorType} depth ${depth}` };
}

let bomb: Uint8Array | undefined;

/** A zlib stream inflating to 64 MiB of zeros (~64 KiB), made once. */
function zlibBomb(): Uint8Array {
  bomb ??= new Uint8Array(deflateSync(new Uint8Array(64 * 2 ** 20), { level: 9 }));
  return bomb;
}

/** Chunk-level mutations, written back with valid CRCs so that they reach the decoder. */
function mutateChunks(c: Chooser, file: Uint8Array): Mutated {
  const chunks = readChunks(file);
  if (!chunks || chunks.length === 0) return mutateBytes(c, file);
  const ihdr = chunks.find((ch) => ch.type === 'IHDR');
  const idat = chunks.findIndex((ch) => ch.type === 'IDAT');
  let what: string;
  switch (c.int(8)) {
    case 0: {
      if (!ihdr || ihdr.data.length < 8) return mutateBytes(c, file);
      const v = new DataView(ihdr.data.buffer, ihdr.data.byteOffset);
      const w = c.pick([...HUGE_U32, 65535, 30000]);
      const h = c.pick([1, 2, 65535, 0x7fffffff, 30000, 0]);
      v.setUint32(0, w);
      if (c.chance(0.6)) v.setUint32(4, h);
      what = `IHDR size set to ${w}×${c.chance(0.6) ? h : 'as before'}`;
      break;
    }
    case 1: {
      if (!ihdr || ihdr.data.length < 13) return mutateBytes(c, file);
      const field = c.int(5);
      const value = c.pick([0, 1, 2, 3, 5, 7, 16, 32, 255]);
      ihdr.data[8 + field] = value;
      what = `IHDR ${['bit depth', 'colour type', 'compression method', 'filter method', 'interlace method'][field]} set to ${value}`;
      break;
    }
    case 2: {
      if (idat < 0) return mutateBytes(c, file);
      const d = chunks[idat]!.data;
      const cut = c.int(d.length);
      chunks[idat] = { type: 'IDAT', data: c.chance(0.5) ? d.slice(0, cut) : Uint8Array.from(d, (b, i) => (i >= cut && i < cut + 3 ? c.int(256) : b)) };
      what = `IDAT ${cut} bytes in: cut or overwritten`;
      break;
    }
    case 3: {
      if (idat < 0) return mutateBytes(c, file);
      const big = c.chance(0.3);
      chunks[idat] = { type: 'IDAT', data: big ? zlibBomb() : new Uint8Array(deflateSync(new Uint8Array(c.pick([0, 1, 7, 1000])))) };
      what = big ? 'IDAT replaced by a zlib stream of 64 MiB of zeros' : 'IDAT replaced by a stream of the wrong length';
      break;
    }
    case 4: {
      const plte = chunks.find((ch) => ch.type === 'PLTE');
      const trns = chunks.find((ch) => ch.type === 'tRNS');
      if (plte && c.chance(0.5)) plte.data = plte.data.slice(0, 3 * c.int(plte.data.length / 3));
      else if (trns) trns.data = new Uint8Array(300);
      else chunks.splice(1, 0, { type: 'PLTE', data: new Uint8Array(c.pick([0, 2, 768, 771])) });
      what = 'palette (PLTE / tRNS) resized';
      break;
    }
    case 5: {
      const i = c.int(chunks.length);
      const j = c.int(chunks.length);
      const [moved] = chunks.splice(i, 1);
      chunks.splice(j, 0, moved!);
      what = `chunk ${i} (${moved!.type}) moved to ${j}`;
      break;
    }
    case 6: {
      const i = c.int(chunks.length);
      if (c.chance(0.5)) chunks.splice(i, 0, { ...chunks[i]! });
      else chunks.splice(i, 1);
      what = `chunk ${i} repeated or dropped`;
      break;
    }
    default: {
      const type = c.pick(['tEXt', 'iCCP', 'zTXt', 'iTXt', 'eXIf', 'acTL', 'fdAT', 'sBIT', 'pHYs']);
      chunks.splice(1 + c.int(chunks.length - 1), 0, { type, data: Uint8Array.from({ length: c.int(40) }, () => c.int(256)) });
      what = `a random ${type} chunk inserted`;
    }
  }
  return { bytes: writePng(chunks), what: `${what} (CRCs fixed)` };
}

/** The expected channel count of the decoded tensor for `mode`, from the file's IHDR and chunks. */
function expectedChannels(chunks: readonly Chunk[], mode: ImageReadMode): number | null {
  const ihdr = chunks.find((ch) => ch.type === 'IHDR');
  if (!ihdr || ihdr.data.length < 13) return null;
  const colorType = ihdr.data[9]!;
  // a tRNS counts where the specification puts it: after PLTE, before the first IDAT (libpng ignores it elsewhere)
  const plte = chunks.findIndex((ch) => ch.type === 'PLTE');
  const idat = chunks.findIndex((ch) => ch.type === 'IDAT');
  const trns = chunks.findIndex((ch, i) => ch.type === 'tRNS' && i > plte && (idat < 0 || i < idat));
  const stored = colorType === 3 ? (plte >= 0 && trns >= 0 ? 4 : 3) : CHANNELS[colorType];
  if (stored === undefined) return null;
  return mode === 'unchanged' ? stored : { gray: 1, gray_alpha: 2, rgb: 3, rgb_alpha: 4 }[mode];
}

async function check(img: Tensor, bytes: Uint8Array, mode: ImageReadMode): Promise<string | null> {
  const chunks = readChunks(bytes);
  if (!chunks) return 'it decoded a file whose chunk layout is broken';
  const ihdr = chunks.find((ch) => ch.type === 'IHDR')!;
  const v = new DataView(ihdr.data.buffer, ihdr.data.byteOffset);
  const [w, h] = [v.getUint32(0), v.getUint32(4)];
  const channels = expectedChannels(chunks, mode);
  if (img.dtype !== 'int32') return `dtype ${img.dtype}, expected int32`;
  if (JSON.stringify(img.shape) !== JSON.stringify([channels, h, w])) return `shape [${img.shape.join(', ')}], the IHDR says [${channels}, ${h}, ${w}]`;
  const data = await img.data();
  for (let i = 0; i < data.length; i++) if (!(data[i]! >= 0 && data[i]! <= 255)) return `pixel value ${data[i]} at ${i}, outside 0–255`;
  return null;
}

/**
 * The PNG fuzzer (`files/png`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { pngFileTarget } from '@tensorgrad/fuzz';
 * (await pngFileTarget.run(1)).length > 0; // true
 * ```
 */
export const pngFileTarget: FuzzTarget = {
  name: 'files/png',
  async run(seed) {
    const c = chooser(this.name, seed);
    let base: { bytes: Uint8Array; what: string };
    if (c.chance(0.3)) {
      const [ch, h, w] = [c.pick([1, 2, 3, 4]), 1 + c.int(6), 1 + c.int(6)];
      const values = Array.from({ length: ch * h * w }, () => c.int(256));
      const img = tidy(() => tensor(values, { dtype: 'int32' }).reshape([ch, h, w]));
      try {
        base = { bytes: await encodePng(img), what: `encodePng of [${ch}, ${h}, ${w}]` };
      } finally {
        img.dispose();
      }
    } else base = handMadePng(c);
    const m = mutateSome(c, base.bytes, [mutateBytes, mutateChunks, mutateChunks, mutateChunks]);
    const mode = c.pick(MODES);
    return judgeRead<Tensor>({
      id: `${this.name}:${seed}`,
      what: `${m.what} (of a ${base.what} PNG, mode '${mode}')`,
      bytes: m.bytes,
      read: (b) => decodeImage(b, { mode }),
      check: (img, b) => check(img, b, mode),
      resultBytes: (img) => 4 * img.shape.reduce((a, b) => a * b, 1),
      dispose: (img) => img.dispose(),
      errorNames: /^decodeImage: /,
    });
  },
};
