import { parseArgs, signature } from './args.js';

/** The element types of the IDX format, by their type byte. */
const IDX_TYPES: Record<number, { name: IdxDType; size: number }> = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
};


const PARSE_IDX = signature('parseIdx', ['bytes', 'name'], { required: 1 });
const ENCODE_IDX = signature('encodeIdx', ['data', 'shape'], { required: 2 });
const READ_IDX_FILE = signature('readIdxFile', ['path'], { required: 1 });

/** The element type of an IDX file. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX array: its element type, its dimensions and its elements in row-major order. */
export interface IdxArray {
  /** The element type named by the type byte. */
  dtype: IdxDType;
  /** The dimensions from the header. */
  shape: number[];
  /** The elements (a `Uint8Array` for uint8 files, the matching typed array otherwise). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Parses an IDX file (the format of MNIST and Fashion-MNIST: two zero bytes, a type byte, the
 * number of dimensions, each dimension as a big-endian uint32, then the elements big-endian) and
 * validates it: a wrong magic number, an unknown type byte, a header or payload shorter than the
 * dimensions require, or trailing bytes are rejected with an error naming `name`. The bytes must
 * already be decompressed (see {@link readIdxFile} for `.gz` files).
 *
 * @example
 * ```ts
 * import { encodeIdx, parseIdx } from '@tensorgrad/data';
 * const bytes = encodeIdx(new Uint8Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * const { dtype, shape, data } = parseIdx(bytes);
 * dtype; // 'uint8'
 * shape; // [2, 3]
 * Array.from(data); // [1, 2, 3, 4, 5, 6]
 * ```
 */
export function parseIdx(bytes: Uint8Array, name?: string): IdxArray;
export function parseIdx(...args: unknown[]): IdxArray {
  const a = parseArgs(PARSE_IDX, args);
  const bytes = a.bytes as Uint8Array;
  const name = (a.name as string | undefined) ?? 'IDX data';
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`parseIdx: expected the file's bytes as a Uint8Array (or Buffer), got ${typeof bytes}`);
  const bad = (what: string): Error =>
    new Error(`${name}: not a valid IDX file: ${what}. The file is corrupt or truncated; delete it and download it again`);
  if (bytes.length < 4) throw bad(`it has ${bytes.length} bytes, fewer than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (it is gzip-compressed: decompress it first)' : '';
    throw bad(`the magic number starts with 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}, expected 0x00 0x00${hint}`);
  }
  const type = IDX_TYPES[bytes[2]!];
  if (!type) throw bad(`unknown type byte 0x${hex(bytes[2]!)}, expected one of 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e`);
  const ndim = bytes[3]!;
  if (ndim === 0) throw bad('it declares 0 dimensions');
  const headerLen = 4 + 4 * ndim;
  if (bytes.length < headerLen) throw bad(`the header declares ${ndim} dimensions (${headerLen} bytes) but the file has only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerLen + count * type.size;
  if (bytes.length < expected) {
    throw bad(
      `dimensions [${shape.join(', ')}] of ${type.name} need ${expected} bytes (${headerLen} header + ${count * type.size} data) but the file has only ${bytes.length}: it is truncated`,
    );
  }
  if (bytes.length > expected) throw bad(`dimensions [${shape.join(', ')}] of ${type.name} need ${expected} bytes but the file has ${bytes.length} (trailing bytes)`);
  let data: IdxArray['data'];
  switch (type.name) {
    case 'uint8':
      data = new Uint8Array(bytes.buffer, bytes.byteOffset + headerLen, count).slice();
      break;
    case 'int8':
      data = new Int8Array(bytes.buffer, bytes.byteOffset + headerLen, count).slice();
      break;
    default: {
      const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type.name];
      const out = new Ctor(count);
      const get = {
        int16: (o: number) => view.getInt16(o, false),
        int32: (o: number) => view.getInt32(o, false),
        float32: (o: number) => view.getFloat32(o, false),
        float64: (o: number) => view.getFloat64(o, false),
      }[type.name];
      for (let i = 0; i < count; i++) out[i] = get(headerLen + i * type.size);
      data = out;
    }
  }
  return { dtype: type.name, shape, data };
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * Encodes an array as IDX bytes (the inverse of {@link parseIdx}); the element type follows the
 * typed array (`Uint8Array` uint8, `Int8Array` int8, `Int16Array` int16, `Int32Array` int32,
 * `Float32Array` float32, `Float64Array` float64). Useful to write small test fixtures.
 *
 * @example
 * ```ts
 * import { encodeIdx } from '@tensorgrad/data';
 * Array.from(encodeIdx(new Uint8Array([7, 9]), [2])); // [0, 0, 8, 1, 0, 0, 0, 2, 7, 9]
 * ```
 */
export function encodeIdx(data: IdxArray['data'], shape: readonly number[]): Uint8Array;
export function encodeIdx(...args: unknown[]): Uint8Array {
  const a = parseArgs(ENCODE_IDX, args);
  const data = a.data as IdxArray['data'];
  const shape = a.shape as readonly number[];
  const entry = Object.entries(IDX_TYPES).find(([, t]) => {
    const C = { uint8: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[t.name];
    return data instanceof C && data.constructor === C;
  });
  if (!entry) throw new TypeError('encodeIdx: expected a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array');
  const [code, type] = entry;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeIdx: shape [${shape.join(', ')}] needs ${count} elements but the array has ${data.length}`);
  const headerLen = 4 + 4 * shape.length;
  const out = new Uint8Array(headerLen + count * type.size);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = shape.length;
  shape.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  for (let i = 0; i < count; i++) {
    const o = headerLen + i * type.size;
    const v = data[i]!;
    if (type.name === 'uint8') view.setUint8(o, v);
    else if (type.name === 'int8') view.setInt8(o, v);
    else if (type.name === 'int16') view.setInt16(o, v, false);
    else if (type.name === 'int32') view.setInt32(o, v, false);
    else if (type.name === 'float32') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}

/**
 * Reads and parses an IDX file from disk, gunzipping it first when it is gzip-compressed (detected
 * from its first bytes, whatever its name). A file that cannot be read, decompressed or parsed
 * is rejected with an error naming it. Node only (`node:fs` and `node:zlib` are imported lazily).
 *
 * @example
 * ```ts
 * import { writeFileSync, mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { gzipSync } from 'node:zlib';
 * import { encodeIdx, readIdxFile } from '@tensorgrad/data';
 * const file = join(mkdtempSync(join(tmpdir(), 'idx-')), 'labels-idx1-ubyte.gz');
 * writeFileSync(file, gzipSync(encodeIdx(new Uint8Array([3, 1, 4]), [3])));
 * const { shape, data } = await readIdxFile(file);
 * shape; // [3]
 * Array.from(data); // [3, 1, 4]
 * ```
 */
export async function readIdxFile(path: string): Promise<IdxArray>;
export async function readIdxFile(...args: unknown[]): Promise<IdxArray> {
  const path = parseArgs(READ_IDX_FILE, args).path as string;
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new Error(`readIdxFile: cannot read ${path}: ${(e as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const { gunzip } = await import('node:zlib');
    bytes = await new Promise<Uint8Array>((resolve, reject) => {
      gunzip(bytes, (err, out) => {
        if (err) reject(new Error(`${path}: the gzip data is corrupt or truncated (${err.message}); delete the file and download it again`));
        else resolve(out);
      });
    });
  }
  return parseIdx(bytes, path);
}
