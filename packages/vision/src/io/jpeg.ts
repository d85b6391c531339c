/**
 * @internal JPEG decoding and encoding through `@jsquash/jpeg` (MozJPEG, i.e. libjpeg-turbo's
 * decoder compiled to WebAssembly: the same pixels as PIL and torchvision, which use
 * libjpeg-turbo). In Node the `.wasm` files are read from the package; in browsers the package's
 * own loader fetches them.
 */
import type { Pixels } from './pixels.js';

interface DecoderModule {
  decode(data: Uint8Array, preserveOrientation: boolean): { data: Uint8ClampedArray; width: number; height: number } | null;
}
interface EncoderModule {
  encode(data: Uint8Array, width: number, height: number, options: Record<string, number | boolean>): Uint8Array;
}
type Factory<M> = (options: Record<string, unknown>) => Promise<M>;

/** libjpeg's messages of the call in progress (warnings such as "Premature end of JPEG file"). */
let messages: string[] = [];
const collect = (m: string): void => {
  messages.push(m);
};

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Reads and compiles a `.wasm` file of `@jsquash/jpeg` in Node, once (the browser path lets the
 * package fetch it); a fresh instance is made from it whenever the decoder must be restarted.
 */
function nodeWasm(file: string): Promise<WebAssembly.Module> {
  let m = compiled.get(file);
  if (!m) {
    m = (async () => {
      const [{ createRequire }, { readFile }] = await Promise.all([import('node:module'), import('node:fs/promises')]);
      const require = createRequire(import.meta.url);
      return WebAssembly.compile(await readFile(require.resolve(`@jsquash/jpeg/codec/${file}`)));
    })();
    m.catch(() => compiled.delete(file));
    compiled.set(file, m);
  }
  return m;
}

async function instantiate<M>(factory: Factory<M>, wasmFile: string): Promise<M> {
  const options: Record<string, unknown> = { noInitialRun: true, print: collect, printErr: collect };
  if (isNode()) {
    const wasm = await nodeWasm(wasmFile);
    options.instantiateWasm = (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
      const instance = new WebAssembly.Instance(wasm, imports);
      done(instance);
      return instance.exports;
    };
  }
  return factory(options);
}

let decoder: Promise<DecoderModule> | undefined;
let encoder: Promise<EncoderModule> | undefined;

function loadDecoder(): Promise<DecoderModule> {
  decoder ??= import('@jsquash/jpeg/codec/dec/mozjpeg_dec.js').then((m) => instantiate(m.default as unknown as Factory<DecoderModule>, 'dec/mozjpeg_dec.wasm'));
  decoder.catch(() => {
    decoder = undefined;
  });
  return decoder;
}

function loadEncoder(): Promise<EncoderModule> {
  encoder ??= import('@jsquash/jpeg/codec/enc/mozjpeg_enc.js').then((m) => instantiate(m.default as unknown as Factory<EncoderModule>, 'enc/mozjpeg_enc.wasm'));
  encoder.catch(() => {
    encoder = undefined;
  });
  return encoder;
}

/** @internal What the markers of a JPEG say (checked before decoding). */
export interface JpegInfo {
  width: number;
  height: number;
  components: number;
  /** libjpeg's guess of the colour space (jdapimin.c `default_decompress_parms`). */
  colorSpace: 'gray' | 'ycc' | 'rgb' | 'cmyk' | 'ycck';
  /** Offsets of the JFIF APP0 segment and of the Adobe APP14 segment, if any. */
  jfifAt: number;
  adobeAt: number;
  componentIds: number[];
  /** Whether the frame is arithmetic-coded (SOF9–SOF15), not Huffman-coded. */
  arithmetic: boolean;
}

const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** @internal Whether `bytes` start with a JPEG SOI marker followed by another marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * @internal Walks the marker segments of a JPEG up to its EOI marker, so that a truncated or
 * garbled file is reported precisely (libjpeg itself pads a truncated file with gray and only
 * warns).
 */
export function parseJpeg(op: string, bytes: Uint8Array): JpegInfo {
  const n = bytes.length;
  const truncated = (where: string): RangeError =>
    new RangeError(`${op}: the JPEG data is truncated: it ends at byte ${n} ${where} before the EOI marker (FF D9); the file is incomplete`);
  let pos = 2;
  let info: JpegInfo | undefined;
  let jfifAt = -1;
  let adobeAt = -1;
  let adobeTransform = -1;
  let sawScan = false;
  for (;;) {
    if (pos >= n) throw truncated('between segments');
    if (bytes[pos] !== 0xff) {
      throw new RangeError(`${op}: the JPEG data is corrupt: expected a marker (FF xx) at offset ${pos}, found ${hex(bytes[pos]!)}`);
    }
    while (pos < n && bytes[pos] === 0xff) pos++; // fill bytes
    if (pos >= n) throw truncated('inside a marker');
    const marker = bytes[pos]!;
    pos++;
    if (marker === 0xd9) break; // EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM, RSTn: no length
    if (marker === 0xd8 || (marker < 0xc0 && marker !== 0x01)) {
      throw new RangeError(`${op}: the JPEG data is corrupt: ${marker < 0xc0 ? 'invalid' : 'unexpected'} marker FF ${hex(marker).slice(2)} at offset ${pos - 2}${sawScan ? ' (after compressed image data)' : ''}`);
    }
    if (pos + 2 > n) throw truncated(`in the length of segment ${hex(marker)}`);
    const length = (bytes[pos]! << 8) | bytes[pos + 1]!;
    if (length < 2) throw new RangeError(`${op}: the JPEG data is corrupt: segment ${hex(marker)} at offset ${pos - 2} has length ${length} (at least 2)`);
    if (pos + length > n) throw truncated(`inside segment ${hex(marker)} (which needs ${length} bytes from offset ${pos})`);
    const seg = bytes.subarray(pos + 2, pos + length);
    if (marker === 0xe0 && seg.length >= 5 && seg[0] === 0x4a && seg[1] === 0x46 && seg[2] === 0x49 && seg[3] === 0x46 && seg[4] === 0) jfifAt = pos - 1;
    if (marker === 0xee && seg.length >= 12 && String.fromCharCode(...seg.subarray(0, 5)) === 'Adobe') {
      adobeAt = pos - 2;
      adobeTransform = seg[11]!;
    }
    if (SOF_MARKERS.has(marker)) {
      if (seg.length < 6) throw new RangeError(`${op}: the JPEG data is corrupt: the frame header (SOF) is ${seg.length} bytes long`);
      const height = (seg[1]! << 8) | seg[2]!;
      const width = (seg[3]! << 8) | seg[4]!;
      const components = seg[5]!;
      if (seg.length < 6 + 3 * components) throw new RangeError(`${op}: the JPEG data is corrupt: the frame header (SOF) lists ${components} components in ${seg.length} bytes`);
      if (width === 0 || height === 0) throw new RangeError(`${op}: the JPEG image is empty or has a DNL height (${width}×${height}), which is not supported`);
      const componentIds = Array.from({ length: components }, (_, k) => seg[6 + 3 * k]!);
      info = { width, height, components, colorSpace: 'ycc', jfifAt, adobeAt, componentIds, arithmetic: marker >= 0xc9 };
    }
    pos += length;
    if (marker === 0xda) {
      if (info === undefined) throw new RangeError(`${op}: the JPEG data is corrupt: a scan (SOS) comes before the frame header (SOF)`);
      sawScan = true;
      // entropy-coded data: up to the next marker that is not a stuffed FF 00 or a restart marker
      for (;;) {
        while (pos < n && bytes[pos] !== 0xff) pos++;
        if (pos + 1 >= n) throw truncated('inside the compressed image data');
        const next = bytes[pos + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
          pos += next === 0xff ? 1 : 2;
          continue;
        }
        break;
      }
    }
  }
  if (info === undefined || !sawScan) throw new RangeError(`${op}: the JPEG data is corrupt: it has no ${info === undefined ? 'frame header (SOF)' : 'scan (SOS)'}`);
  info.jfifAt = jfifAt;
  info.adobeAt = adobeAt;
  const ids = info.componentIds;
  if (info.components === 1) info.colorSpace = 'gray';
  else if (info.components === 3) {
    if (jfifAt >= 0) info.colorSpace = 'ycc';
    else if (adobeAt >= 0) info.colorSpace = adobeTransform === 0 ? 'rgb' : 'ycc';
    else info.colorSpace = ids[0] === 0x52 && ids[1] === 0x47 && ids[2] === 0x42 ? 'rgb' : 'ycc';
  } else if (info.components === 4) info.colorSpace = adobeAt >= 0 && adobeTransform === 2 ? 'ycck' : 'cmyk';
  else throw new RangeError(`${op}: the JPEG has ${info.components} components; expected 1 (gray), 3 (colour) or 4 (CMYK)`);
  checkSize(op, info, n);
  return info;
}

/** The most pixels the WebAssembly decoder is given: its RGBA output must fit in its 2 GiB memory with room to spare. */
const MAX_PIXELS = 2 ** 28;

/**
 * Refuses frame sizes the file cannot hold before libjpeg allocates for them: every 8×8 block of
 * a Huffman-coded component costs at least one bit (its DC code, in sequential and progressive
 * mode alike), so `bytes` bytes code at most 8 × `bytes` blocks; and the decoder's output must fit
 * its memory.
 */
function checkSize(op: string, info: JpegInfo, bytes: number): void {
  const { width, height } = info;
  if (width * height > MAX_PIXELS) {
    throw new RangeError(`${op}: the JPEG declares a ${width}×${height} image, more than the ${MAX_PIXELS} pixels the decoder (libjpeg in WebAssembly, 2 GiB of memory) can hold`);
  }
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  if (!info.arithmetic && blocks > 8 * bytes) {
    throw new RangeError(
      `${op}: the JPEG data is corrupt: its frame header declares a ${width}×${height} image (${blocks} blocks of 8×8 pixels) ` +
        `but its ${bytes} bytes can code at most ${8 * bytes} blocks (one bit each at least); the file is truncated or its header is damaged`,
    );
  }
}

/**
 * @internal The same JPEG, marked so that libjpeg takes its components as RGB (no colour
 * conversion): the JFIF APP0 marker is renamed APP15 and an Adobe marker with transform 0 is set
 * or added. Decoding it gives the raw luma Y as the first channel — the value torchvision's
 * `decode_jpeg` returns for `ImageReadMode.GRAY` (libjpeg's YCbCr → grayscale keeps Y).
 */
function withoutColorTransform(bytes: Uint8Array, info: JpegInfo): Uint8Array {
  const adobe = Uint8Array.of(0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00);
  const out = new Uint8Array(bytes.length + (info.adobeAt >= 0 ? 0 : adobe.length));
  out.set(bytes.subarray(0, 2));
  if (info.adobeAt >= 0) out.set(bytes.subarray(2), 2);
  else {
    out.set(adobe, 2);
    out.set(bytes.subarray(2), 2 + adobe.length);
  }
  const shift = info.adobeAt >= 0 ? 0 : adobe.length;
  if (info.jfifAt >= 0) out[info.jfifAt + shift] = 0xef;
  if (info.adobeAt >= 0) out[info.adobeAt + 15] = 0;
  return out;
}

async function decodeRgba(op: string, bytes: Uint8Array): Promise<Uint8ClampedArray> {
  const module = await loadDecoder();
  messages = [];
  let result: ReturnType<DecoderModule['decode']>;
  try {
    result = module.decode(bytes, false);
  } catch (e) {
    // libjpeg's fatal errors end in an abort or a trap of the WebAssembly module, which leaves it
    // unusable (its stack and heap are not unwound): drop it, so that the next image gets a fresh
    // instance, and report libjpeg's own message when it printed one
    decoder = undefined;
    const why = messages.filter((m) => !/^Program terminated|^Aborted|^RuntimeError|^\s*at /.test(m) && m.trim() !== '');
    const trap = e instanceof WebAssembly.RuntimeError || /Aborted|out of bounds|unreachable/.test(String((e as Error)?.message ?? e));
    throw new RangeError(
      `${op}: the JPEG data is corrupt: ${why.length ? `libjpeg: ${why.join('; ')}` : trap ? 'the decoder (libjpeg in WebAssembly) stopped on it without a message' : `libjpeg: ${String((e as Error)?.message ?? e)}`}; ` +
        'nothing is decoded from a damaged file',
    );
  }
  const warnings = messages;
  messages = [];
  const bad = warnings.filter((m) => /Corrupt JPEG data|Premature end|Invalid|Bogus|Huffman/i.test(m));
  // a refused file may have grown the module's memory to its declared size: let it go with the module
  if (result === null || bad.length) decoder = undefined;
  if (result === null) throw new RangeError(`${op}: the JPEG data could not be decoded (libjpeg: ${warnings.join('; ') || 'no message'})`);
  if (bad.length) throw new RangeError(`${op}: the JPEG data is corrupt (libjpeg: ${bad.join('; ')}); the decoded pixels would be partly invented, so nothing is returned`);
  return result.data;
}

/**
 * @internal Decodes a JPEG to 8-bit gray (1 channel) or RGB (3 channels) pixels: `gray` gives the
 * luma Y of a colour JPEG (as torchvision's GRAY mode), `color` the RGB of libjpeg-turbo's default
 * decoding (ISLOW IDCT, fancy upsampling; PIL's and torchvision's pixels).
 */
export async function decodeJpeg(op: string, bytes: Uint8Array, want: 'gray' | 'color'): Promise<Pixels & { info: JpegInfo }> {
  const info = parseJpeg(op, bytes);
  if (info.colorSpace === 'cmyk' || info.colorSpace === 'ycck') {
    throw new RangeError(`${op}: this JPEG is ${info.colorSpace.toUpperCase()} (4 components), which is not supported; convert it to RGB first (e.g. with an image editor or PIL's convert('RGB'))`);
  }
  const { width, height } = info;
  const n = width * height;
  const lumaFromRaw = want === 'gray' && info.colorSpace === 'ycc';
  const rgba = await decodeRgba(op, lumaFromRaw ? withoutColorTransform(bytes, info) : bytes);
  if (rgba.length !== n * 4) throw new RangeError(`${op}: the JPEG decoder returned ${rgba.length / 4} pixels for a ${width}×${height} image; the file is corrupt`);
  if (want === 'gray' || info.colorSpace === 'gray') {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const r = rgba[i * 4]!;
      // an RGB JPEG: libjpeg's rgb_gray_convert (jccolor.c weights in 1/65536, rounded)
      out[i] = info.colorSpace === 'rgb' ? (19595 * r + 38470 * rgba[i * 4 + 1]! + 7471 * rgba[i * 4 + 2]! + 32768) >>> 16 : r;
    }
    if (want === 'gray') return { width, height, channels: 1, data: out, info };
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = out[i]!;
    return { width, height, channels: 3, data: rgb, info };
  }
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    rgb[i * 3] = rgba[i * 4]!;
    rgb[i * 3 + 1] = rgba[i * 4 + 1]!;
    rgb[i * 3 + 2] = rgba[i * 4 + 2]!;
  }
  return { width, height, channels: 3, data: rgb, info };
}

/**
 * @internal Encodes 8-bit gray or RGB pixels as a baseline JPEG with libjpeg's quality scale
 * (Annex K tables) and 4:2:0 chroma subsampling for colour — libjpeg's and PIL's defaults — with
 * optimised Huffman tables. MozJPEG's trellis quantisation is on, so the bytes (not the format or
 * the quality scale) differ from PIL's encoder.
 */
export async function encodeJpegPixels(p: Pixels, quality: number): Promise<Uint8Array> {
  const module = await loadEncoder();
  const rgba = new Uint8Array(p.width * p.height * 4);
  for (let i = 0; i < p.width * p.height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = p.data[i * p.channels + (p.channels === 1 ? 0 : k)]!;
    rgba[i * 4 + 3] = 255;
  }
  messages = [];
  const out = module.encode(rgba, p.width, p.height, {
    quality,
    baseline: true,
    arithmetic: false,
    progressive: false,
    // optimised Huffman tables (lossless; the pixels are the same): MozJPEG's trellis quantisation
    // with the standard tables writes undecodable codes ('bad Huffman code') for some images
    optimize_coding: true,
    smoothing: 0,
    color_space: p.channels === 1 ? 1 : 3,
    quant_table: 0,
    trellis_multipass: false,
    trellis_opt_zero: false,
    trellis_opt_table: false,
    trellis_loops: 1,
    auto_subsample: false,
    chroma_subsample: 2,
    separate_chroma_quality: false,
    chroma_quality: quality,
  });
  messages = [];
  return new Uint8Array(out);
}
