/**
 * `files/idx`: hostile IDX files for `parseIdx` (`@tensorgrad/data`). Each case encodes a small
 * random array (any of the six element types, 1–3 dimensions, zero-size dimensions included) with
 * `encodeIdx`, then mutates it: the generic byte mutations plus IDX's own fields — the type byte,
 * the number of dimensions and each dimension set to huge values (2^31, 2^32 − 1, products beyond
 * 2^53).
 */
import { encodeIdx, parseIdx, type IdxArray } from '@tensorgrad/data';
import type { FuzzTarget } from '../target.js';
import { chooser, HUGE_U32, judgeRead, mutateBytes, mutateSome, type Chooser, type Mutated } from './hostile.js';

const TYPES = [
  { code: 0x08, size: 1, make: (n: number, c: Chooser) => Uint8Array.from({ length: n }, () => c.int(256)) },
  { code: 0x09, size: 1, make: (n: number, c: Chooser) => Int8Array.from({ length: n }, () => c.int(256) - 128) },
  { code: 0x0b, size: 2, make: (n: number, c: Chooser) => Int16Array.from({ length: n }, () => c.int(65536) - 32768) },
  { code: 0x0c, size: 4, make: (n: number, c: Chooser) => Int32Array.from({ length: n }, () => c.int(2 ** 32) - 2 ** 31) },
  { code: 0x0d, size: 4, make: (n: number, c: Chooser) => Float32Array.from({ length: n }, () => (c.next() - 0.5) * 1e3) },
  { code: 0x0e, size: 8, make: (n: number, c: Chooser) => Float64Array.from({ length: n }, () => (c.next() - 0.5) * 1e3) },
] as const;

/** The IDX-specific mutations: type byte, rank, one dimension. */
function mutateHeader(c: Chooser, file: Uint8Array): Mutated {
  const out = file.slice();
  if (out.length < 4) return { bytes: out, what: 'header mutation skipped (file shorter than 4 bytes)' };
  const view = new DataView(out.buffer);
  switch (c.int(3)) {
    case 0: {
      const t = c.chance(0.5) ? c.int(256) : c.pick([0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
      out[2] = t;
      return { bytes: out, what: `type byte set to 0x${t.toString(16)}` };
    }
    case 1: {
      const r = c.pick([0, 1, 2, 3, 4, 63, 255]);
      out[3] = r;
      return { bytes: out, what: `number of dimensions set to ${r}` };
    }
    default: {
      const ndim = out[3]!;
      if (ndim === 0) return { bytes: out, what: 'no dimension to change (0 dimensions)' };
      const d = c.int(ndim);
      if (4 + 4 * d + 4 > out.length) return { bytes: out, what: `dimension ${d} lies past the end` };
      const v = c.chance(0.7) ? c.pick(HUGE_U32) : c.int(1 << 20);
      view.setUint32(4 + 4 * d, v, false);
      return { bytes: out, what: `dimension ${d} set to ${v}` };
    }
  }
}

/** The elements read straight from the bytes (big-endian), independently of `parseIdx`. */
function expectedElement(view: DataView, code: number, at: number): number {
  switch (code) {
    case 0x08:
      return view.getUint8(at);
    case 0x09:
      return view.getInt8(at);
    case 0x0b:
      return view.getInt16(at, false);
    case 0x0c:
      return view.getInt32(at, false);
    case 0x0d:
      return view.getFloat32(at, false);
    default:
      return view.getFloat64(at, false);
  }
}

function check(r: IdxArray, bytes: Uint8Array): string | null {
  const type = TYPES.find((t) => t.code === bytes[2]);
  if (!type) return `it read type byte 0x${bytes[2]?.toString(16)}, which IDX does not define`;
  const ndim = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, d) => view.getUint32(4 + 4 * d, false));
  if (JSON.stringify(dims) !== JSON.stringify(r.shape)) return `shape [${r.shape.join(', ')}] but the header says [${dims.join(', ')}]`;
  const count = dims.reduce((a, b) => a * b, 1);
  const header = 4 + 4 * ndim;
  if (bytes.length !== header + count * type.size) return `the file has ${bytes.length} bytes but [${dims.join(', ')}] needs ${header + count * type.size}`;
  if (r.data.length !== count) return `${r.data.length} elements for shape [${dims.join(', ')}]`;
  for (let i = 0; i < count; i++) {
    const want = expectedElement(view, type.code, header + i * type.size);
    if (!Object.is(r.data[i], want) && !(Number.isNaN(want) && Number.isNaN(r.data[i]!))) return `element ${i} is ${r.data[i]}, the bytes say ${want}`;
  }
  return null;
}

/**
 * The IDX fuzzer (`files/idx`).
 *
 * @example
 * ```ts
 * import { idxFileTarget } from '@tensorgrad/fuzz';
 * (await idxFileTarget.run(1)).length > 0; // true
 * ```
 */
export const idxFileTarget: FuzzTarget = {
  name: 'files/idx',
  async run(seed) {
    const c = chooser(this.name, seed);
    const type = c.pick(TYPES);
    const shape = Array.from({ length: 1 + c.int(3) }, () => (c.chance(0.1) ? 0 : 1 + c.int(4)));
    const data = type.make(shape.reduce((a, b) => a * b, 1), c);
    const file = encodeIdx(data as IdxArray['data'], shape);
    const m = mutateSome(c, file, [mutateBytes, mutateHeader, mutateHeader]);
    return judgeRead<IdxArray>({
      id: `${this.name}:${seed}`,
      what: `${m.what} (of a [${shape.join(', ')}] type-0x${type.code.toString(16)} file)`,
      bytes: m.bytes,
      read: (b) => parseIdx(b, 'fuzz.idx'),
      check,
      resultBytes: (r) => r.data.byteLength,
      errorNames: /^fuzz\.idx: /,
    });
  },
};
