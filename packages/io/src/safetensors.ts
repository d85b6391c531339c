import { fromTypedArray, Tensor, type DType, type TypedArray } from '@tensorgrad/tensor';
import { atomicWrite, readFileBytes } from './node-fs.js';
import { LITTLE_ENDIAN, float16ToFloat32 } from './bytes.js';
import { jsonDepth, setOwn } from './json.js';

/** A state dict: tensors by name, as a plain record or a `Map`. */
export type StateDict = Record<string, Tensor> | Map<string, Tensor>;

/** One tensor entry of a safetensors header. */
export interface SafetensorsTensorInfo {
  /** The safetensors dtype name (`'F32'`, `'F64'`, `'I32'`, `'I64'`, `'BOOL'`, `'F16'`, …). */
  dtype: string;
  /** The shape (row-major); `[]` for a 0-d tensor. */
  shape: number[];
  /** `[begin, end)` byte offsets of the data, relative to the start of the byte buffer. */
  dataOffsets: [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
  /** The tensor entries by name, in file (data) order. */
  tensors: Record<string, SafetensorsTensorInfo>;
  /** The `__metadata__` string map (empty when the file has none). */
  metadata: Record<string, string>;
  /** The header length N (bytes of JSON, including padding). */
  headerLength: number;
  /** Where the byte buffer starts in the file: `8 + N`. */
  dataStart: number;
}

/** Options of {@link saveSafetensors}. */
export interface SaveSafetensorsOptions {
  /** String metadata stored under `__metadata__` (omitted from the file when not given). */
  metadata?: Record<string, string>;
}

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Backend the tensors are created on; default the current backend. */
  backend?: string;
}

/** What {@link loadSafetensors} returns. */
export interface LoadedSafetensors {
  /** The tensors by name (in file order); the caller owns them and disposes them. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (empty when the file has none). */
  metadata: Record<string, string>;
}

/** Bits per element of every dtype the safetensors format knows. */
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/** The reference writer's dtype order (its enum order); it lays out tensors by descending rank. */
const DTYPE_RANK: Readonly<Record<string, number>> = { BOOL: 0, I32: 15, F32: 17, F64: 19 };

const TO_SAFETENSORS: Readonly<Record<DType, string>> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

const READABLE = 'F32, F64, I32, BOOL, I64 (read as int32), F16 and BF16 (read as float32)';

/** The reference reader refuses headers above 100 MB. */
const MAX_HEADER = 100_000_000;


/** Reverses the bytes of each `size`-byte element in place (only needed on big-endian hosts). */
function swapBytes(bytes: Uint8Array, size: number): void {
  if (LITTLE_ENDIAN || size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array (${JSON.stringify(v).slice(0, 60)})`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  if (typeof v === 'object') return `an object (${JSON.stringify(v).slice(0, 60)})`;
  return `${typeof v} ${String(v)}`;
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * How deep the header's JSON may nest: a valid header nests 3 levels (the header object, an
 * entry, its shape); the reference reader (serde_json) stops at 128. Checked before `JSON.parse`,
 * which would overflow the call stack on a hostile header nested 10^5 deep.
 */
const MAX_JSON_DEPTH = 128;

/** Throws when an object of the JSON text repeats a key (JSON.parse would silently keep the last). */
function checkDuplicateKeys(json: string): void {
  const stack: Array<Set<string> | null> = [];
  let i = 0;
  const n = json.length;
  while (i < n) {
    const c = json[i]!;
    if (c === '{') stack.push(new Set());
    else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const literal = json.slice(i, j + 1);
      let k = j + 1;
      while (k < n && /\s/.test(json[k]!)) k++;
      const top = stack[stack.length - 1];
      if (json[k] === ':' && top) {
        const key = JSON.parse(literal) as string;
        if (top.has(key)) {
          throw new Error(
            `readSafetensorsHeader: the header names ${JSON.stringify(key)} twice${stack.length === 1 ? '' : ' inside one entry'}; ` +
              'expected every tensor name (and every field) to appear once; the file is corrupt or was written by a faulty writer',
          );
        }
        top.add(key);
      }
      i = j + 1;
      continue;
    }
    i++;
  }
}

/**
 * Parses and validates the header of a safetensors file: the 8-byte little-endian header length
 * N, the N bytes of JSON (`{ name: { dtype, shape, data_offsets }, "__metadata__": {…} }`), and
 * that the tensors' byte ranges are consistent with their shapes and cover the byte buffer
 * exactly, without gaps or overlaps (the reference reader's rules). `bytes` must be the whole
 * file. Throws an error saying what was expected and what was found on malformed input.
 *
 * @example
 * ```ts
 * import { readSafetensorsHeader, saveSafetensors } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const w = tensor([[1, 2], [3, 4]]);
 * const header = readSafetensorsHeader(await saveSafetensors({ w }));
 * w.dispose();
 * header.tensors.w!.dtype; // 'F32'
 * header.tensors.w!.dataOffsets; // [0, 16]
 * ```
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const op = 'readSafetensorsHeader';
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${op}: expected the file's bytes as a Uint8Array, got ${describe(bytes)}`);
  }
  if (bytes.length < 8) {
    throw new Error(
      `${op}: expected at least 8 bytes (the header length), got a ${bytes.length}-byte input; the file is truncated or not a safetensors file`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const big = view.getBigUint64(0, true);
  if (big > BigInt(bytes.length - 8)) {
    throw new Error(
      `${op}: the header length is ${big} bytes but only ${bytes.length - 8} bytes follow it; ` +
        'the file is truncated or not a safetensors file',
    );
  }
  const headerLength = Number(big);
  if (headerLength > MAX_HEADER) {
    throw new Error(`${op}: the header is ${headerLength} bytes; expected at most ${MAX_HEADER} (the reference reader's limit)`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw new Error(`${op}: the ${headerLength}-byte header is not valid UTF-8; expected UTF-8 JSON; the file is corrupt`);
  }
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new Error(
      `${op}: the header's JSON nests more than ${MAX_JSON_DEPTH} levels deep; expected { name: { dtype, shape, data_offsets } } ` +
        '(3 levels); the file is corrupt or hostile',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${op}: the header is not valid JSON (${(e as Error).message}); expected a JSON object, got ${describe(text)}; ` +
        'the file is corrupt or not a safetensors file',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${op}: expected the header to be a JSON object, got ${describe(parsed)}`);
  }
  checkDuplicateKeys(text);

  const metadata: Record<string, string> = {};
  const entries: Array<[string, SafetensorsTensorInfo]> = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null) continue;
      if (typeof raw !== 'object' || Array.isArray(raw)) {
        throw new Error(`${op}: expected "__metadata__" to be an object of strings, got ${describe(raw)}`);
      }
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') {
          throw new Error(`${op}: expected "__metadata__" values to be strings, got ${describe(v)} for key ${JSON.stringify(k)}`);
        }
        setOwn(metadata, k, v);
      }
      continue;
    }
    const where = `tensor ${JSON.stringify(name)}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw new Error(`${op}: expected ${where} to be an object { dtype, shape, data_offsets }, got ${describe(raw)}`);
    }
    const entry = raw as Record<string, unknown>;
    for (const k of Object.keys(entry)) {
      if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') {
        throw new Error(`${op}: ${where} has an unknown field ${JSON.stringify(k)}; expected only dtype, shape and data_offsets`);
      }
    }
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string') {
      throw new Error(`${op}: expected ${where} to have a string "dtype", got ${describe(dtype)}`);
    }
    const bits = DTYPE_BITS[dtype];
    if (bits === undefined) {
      throw new Error(
        `${op}: ${where} has the unknown dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(DTYPE_BITS).join(', ')}`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegInt)) {
      throw new Error(`${op}: expected ${where} to have a "shape" array of non-negative integers, got ${describe(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt)) {
      throw new Error(
        `${op}: expected ${where} to have "data_offsets" [begin, end] of two non-negative integers, got ${describe(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) {
      throw new Error(`${op}: ${where} has data_offsets [${begin}, ${end}]; expected begin <= end`);
    }
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    const totalBits = numel * bits;
    if (totalBits % 8 !== 0 || totalBits / 8 !== end - begin) {
      throw new Error(
        `${op}: ${where} has shape [${(shape as number[]).join(', ')}] and dtype ${dtype}, so expected ${totalBits / 8} bytes, ` +
          `but its data_offsets [${begin}, ${end}] span ${end - begin} bytes`,
      );
    }
    entries.push([name, { dtype, shape: [...(shape as number[])], dataOffsets: [begin, end] }]);
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  entries.sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let expected = 0;
  let previous = '';
  for (const [name, info] of entries) {
    const [begin, end] = info.dataOffsets;
    if (begin !== expected) {
      const what =
        begin < expected
          ? `overlaps ${JSON.stringify(previous)}, which ends at ${expected}`
          : `leaves a gap after ${previous ? `${JSON.stringify(previous)}, which ends at ${expected}` : 'the start of the buffer'}`;
      throw new Error(
        `${op}: tensor ${JSON.stringify(name)} has data_offsets [${begin}, ${end}], which ${what}; ` +
          `expected it to begin at byte ${expected} (tensors must tile the byte buffer without gaps or overlaps)`,
      );
    }
    if (end > dataLength) {
      throw new Error(
        `${op}: tensor ${JSON.stringify(name)} has data_offsets [${begin}, ${end}] but the byte buffer has only ${dataLength} bytes; ` +
          'the file is truncated or the offsets are out of range',
      );
    }
    expected = end;
    previous = name;
  }
  if (expected !== dataLength) {
    throw new Error(
      `${op}: the tensors cover ${expected} bytes but the byte buffer has ${dataLength}; ` +
        'expected them to cover it exactly (the file has trailing bytes or was concatenated)',
    );
  }
  const tensors: Record<string, SafetensorsTensorInfo> = {};
  for (const [name, info] of entries) setOwn(tensors, name, info);
  return { tensors, metadata, headerLength, dataStart };
}


/** Copies `src` into a fresh, aligned buffer in host byte order. */
function aligned(src: Uint8Array, size: number): ArrayBuffer {
  const buf = new ArrayBuffer(src.length);
  const u8 = new Uint8Array(buf);
  u8.set(src);
  swapBytes(u8, size);
  return buf;
}

function decodeTensorData(op: string, name: string, dtype: string, src: Uint8Array): TypedArray {
  switch (dtype) {
    case 'F32':
      return new Float32Array(aligned(src, 4));
    case 'F64':
      return new Float64Array(aligned(src, 8));
    case 'I32':
      return new Int32Array(aligned(src, 4));
    case 'BOOL': {
      const out = new Uint8Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
      return out;
    }
    case 'I64': {
      const big = new BigInt64Array(aligned(src, 8));
      const out = new Int32Array(big.length);
      for (let i = 0; i < big.length; i++) {
        const v = big[i]!;
        if (v > 2147483647n || v < -2147483648n) {
          throw new RangeError(
            `${op}: tensor ${JSON.stringify(name)} is I64 and is read as int32, but element ${i} is ${v}, ` +
              'outside the int32 range [-2147483648, 2147483647]; tensorgrad has no int64 dtype, so store it as I32, F64 or F32 instead',
          );
        }
        out[i] = Number(v);
      }
      return out;
    }
    case 'F16': {
      const h = new Uint16Array(aligned(src, 2));
      const out = new Float32Array(h.length);
      for (let i = 0; i < h.length; i++) out[i] = float16ToFloat32(h[i]!);
      return out;
    }
    case 'BF16': {
      const h = new Uint16Array(aligned(src, 2));
      const bits = new Uint32Array(h.length);
      for (let i = 0; i < h.length; i++) bits[i] = h[i]! << 16;
      return new Float32Array(bits.buffer);
    }
    default:
      throw new Error(
        `${op}: tensor ${JSON.stringify(name)} has dtype ${dtype}, which is not supported yet; readable dtypes are ${READABLE}`,
      );
  }
}

/**
 * Reads a safetensors file (a path, in Node, or the file's bytes) into tensors. F32, F64, I32 and
 * BOOL load as float32, float64, int32 and bool; I64 loads as int32 (an element outside the int32
 * range is an error) and F16/BF16 as float32; other dtypes are rejected with an error naming the
 * dtype. Malformed files are rejected (see {@link readSafetensorsHeader}). Returns the tensors by
 * name and the `__metadata__` map; the caller owns the tensors (dispose them, or use `tidy`).
 *
 * @example
 * ```ts
 * import { loadSafetensors, saveSafetensors } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const w = tensor([1, 2, 3], { dtype: 'int32' });
 * const bytes = await saveSafetensors({ w }, undefined, { metadata: { format: 'pt' } });
 * w.dispose();
 * const { tensors, metadata } = await loadSafetensors(bytes);
 * await tensors.w!.array(); // [1, 2, 3]
 * tensors.w!.dtype; // 'int32'
 * metadata.format; // 'pt'
 * tensors.w!.dispose();
 * ```
 */
export async function loadSafetensors(
  pathOrBytes: string | Uint8Array,
  options: LoadSafetensorsOptions = {},
): Promise<LoadedSafetensors> {
  const op = 'loadSafetensors';
  let bytes: Uint8Array;
  if (typeof pathOrBytes === 'string') bytes = await readFileBytes(op, pathOrBytes);
  else if (pathOrBytes instanceof Uint8Array) bytes = pathOrBytes;
  else {
    throw new TypeError(`${op}: expected a file path (string) or the file's bytes (Uint8Array), got ${describe(pathOrBytes)}`);
  }
  const header = readSafetensorsHeader(bytes);
  const tensors: Record<string, Tensor> = {};
  try {
    for (const [name, info] of Object.entries(header.tensors)) {
      const [begin, end] = info.dataOffsets;
      const data = decodeTensorData(op, name, info.dtype, bytes.subarray(header.dataStart + begin, header.dataStart + end));
      setOwn(tensors, name, fromTypedArray(data, info.shape, options.backend === undefined ? {} : { backend: options.backend }));
    }
  } catch (e) {
    for (const t of Object.values(tensors)) t.dispose();
    throw e;
  }
  return { tensors, metadata: header.metadata };
}

interface Prepared {
  header: Uint8Array;
  order: Array<[string, Tensor]>;
  total: number;
}

function prepare(op: string, stateDict: StateDict, options: SaveSafetensorsOptions): Prepared {
  if (stateDict === null || typeof stateDict !== 'object') {
    throw new TypeError(`${op}: expected a state dict (a record or Map of name -> Tensor), got ${describe(stateDict)}`);
  }
  const items: Array<[string, Tensor]> = [];
  for (const [name, t] of stateDict instanceof Map ? stateDict.entries() : Object.entries(stateDict)) {
    if (typeof name !== 'string') {
      throw new TypeError(`${op}: expected string tensor names, got ${describe(name)}; use string keys in the Map`);
    }
    if (name === '__metadata__') {
      throw new Error(`${op}: a tensor may not be named "__metadata__" (the format reserves it); rename the tensor`);
    }
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${op}: expected ${JSON.stringify(name)} to be a Tensor, got ${describe(t)}`);
    }
    items.push([name, t]);
  }
  const metadata = options.metadata;
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new TypeError(`${op}: expected options.metadata to be an object of strings, got ${describe(metadata)}`);
    }
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new TypeError(
          `${op}: expected options.metadata values to be strings, got ${describe(v)} for ${JSON.stringify(k)}; use JSON.stringify for other values`,
        );
      }
    }
  }
  // The reference writer's layout: descending dtype (alignment) order, then by name.
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  items.sort(
    (a, b) =>
      DTYPE_RANK[TO_SAFETENSORS[b[1].dtype]]! - DTYPE_RANK[TO_SAFETENSORS[a[1].dtype]]! ||
      cmp(a[0], b[0]),
  );
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const [name, t] of items) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'float64' ? 8 : t.dtype === 'bool' ? 1 : 4);
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${TO_SAFETENSORS[t.dtype]}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + bytes}]}`,
    );
    offset += bytes;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const header = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, 8);
  return { header, order: items, total: offset };
}

async function tensorBytes(t: Tensor): Promise<Uint8Array> {
  const data = await t.data();
  const u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return u8;
  const copy = u8.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

/**
 * Writes a state dict in the safetensors format, byte-compatible with the reference writer
 * (PyTorch's `safetensors.torch.save_file`): the 8-byte little-endian header length, the compact
 * JSON header padded with spaces to a multiple of 8 bytes, then the data of every tensor
 * (contiguous, row-major, little-endian), laid out like the reference: by descending dtype
 * (F64, F32, I32, BOOL), then by name. float32, float64, int32 and bool are written as F32, F64,
 * I32 and BOOL; strided views are written contiguous.
 *
 * With a `path` (Node only) the file is written atomically: to a temporary file in the same
 * directory, flushed to disk, then renamed over `path`, so a crash or error never leaves a
 * half-written file. Without a path the file's bytes are returned.
 *
 * @example
 * ```ts
 * import { saveSafetensors } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const b = tensor([0.5]);
 * const bytes = await saveSafetensors({ b });
 * b.dispose();
 * bytes.length; // 68
 * new DataView(bytes.buffer).getUint32(0, true); // 56
 * new TextDecoder().decode(bytes.subarray(8, 64)).trimEnd(); // '{"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
 * ```
 */
export function saveSafetensors(stateDict: StateDict, path?: undefined, options?: SaveSafetensorsOptions): Promise<Uint8Array>;
export function saveSafetensors(stateDict: StateDict, path: string, options?: SaveSafetensorsOptions): Promise<void>;
export async function saveSafetensors(
  stateDict: StateDict,
  path?: string,
  options: SaveSafetensorsOptions = {},
): Promise<Uint8Array | void> {
  const op = 'saveSafetensors';
  if (path !== undefined && typeof path !== 'string') {
    throw new TypeError(`${op}: expected a file path (string) or undefined (to get the bytes), got ${describe(path)}`);
  }
  const { header, order, total } = prepare(op, stateDict, options ?? {});
  if (path === undefined) {
    const out = new Uint8Array(header.length + total);
    out.set(header);
    let at = header.length;
    for (const [, t] of order) {
      const b = await tensorBytes(t);
      out.set(b, at);
      at += b.length;
    }
    return out;
  }
  await atomicWrite(op, path, async (write) => {
    await write(header);
    for (const [, t] of order) await write(await tensorBytes(t));
  });
}
