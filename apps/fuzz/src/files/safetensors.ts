/**
 * `files/safetensors`: hostile safetensors files for `loadSafetensors` (`@tensorgrad/io`). Each
 * case builds a small valid file by hand (1–3 tensors of F32, F64, I32, BOOL, I64, F16, BF16 or U8,
 * rank 0–3 with zero-size dimensions, names including `__proto__` and `constructor`, optional
 * `__metadata__`), then mutates it: the generic byte mutations plus the header's own — a header
 * length beyond the file or 2^53, JSON that is not an object, not JSON or nested 10^5 deep,
 * duplicated keys, unknown dtypes, huge or invalid shapes, data offsets outside the file,
 * overlapping or reversed, shapes that disagree with the byte length, non-string metadata.
 */
import { loadSafetensors, type LoadedSafetensors } from '@tensorgrad/io';
import type { Tensor } from '@tensorgrad/tensor';
import type { FuzzTarget } from '../target.js';
import { chooser, HUGE_U64, judgeRead, mutateBytes, mutateSome, type Chooser, type Mutated } from './hostile.js';

/** Bytes per element of the dtypes the generated files use. */
const SIZES: Readonly<Record<string, number>> = { F32: 4, F64: 8, I32: 4, BOOL: 1, I64: 8, F16: 2, BF16: 2, U8: 1 };

const NAMES = ['weight', 'bias', 'fc.weight', 'layers.0.bias', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'ü/ß', 'a"b', '__metadata__x'];

/** One tensor entry of a generated file. */
interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/**
 * A safetensors file from its header text and data buffer: the 8-byte little-endian length of the
 * header (padded with spaces to a multiple of 8), the header, the data.
 *
 * @example
 * ```ts
 * import { safetensorsFile } from '@tensorgrad/fuzz';
 * const file = safetensorsFile('{"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(7));
 * file.length; // 8 + 56 + 1
 * ```
 */
export function safetensorsFile(header: string, data: Uint8Array, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + data.length);
  new DataView(out.buffer).setBigUint64(0, headerLength ?? BigInt(padded), true);
  out.fill(0x20, 8, 8 + padded);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}

/**
 * Splits a safetensors file into its parsed header object and its data buffer, or `null` when the
 * header is not a readable JSON object (the structural mutations then have nothing to work on).
 *
 * @example
 * ```ts
 * import { safetensorsFile, splitSafetensors } from '@tensorgrad/fuzz';
 * const parts = splitSafetensors(safetensorsFile('{"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(7)));
 * Object.keys(parts!.header); // ['x']
 * ```
 */
export function splitSafetensors(file: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } | null {
  if (file.length < 8) return null;
  const n = new DataView(file.buffer, file.byteOffset, file.byteLength).getBigUint64(0, true);
  if (n > BigInt(file.length - 8)) return null;
  try {
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + Number(n)))) as unknown;
    if (header === null || typeof header !== 'object' || Array.isArray(header)) return null;
    return { header: header as Record<string, unknown>, data: file.subarray(8 + Number(n)) };
  } catch {
    return null;
  }
}

/** The header text of `entries` laid out back to back (keys written by hand, so `__proto__` is a key). */
function headerText(entries: readonly Entry[], metadata: string | null): string {
  const parts: string[] = [];
  if (metadata !== null) parts.push(`"__metadata__":${metadata}`);
  let at = 0;
  for (const e of entries) {
    parts.push(`${JSON.stringify(e.name)}:{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${at},${at + e.data.length}]}`);
    at += e.data.length;
  }
  return `{${parts.join(',')}}`;
}

function randomEntries(c: Chooser): { entries: Entry[]; metadata: string | null } {
  const count = 1 + c.int(3);
  const used = new Set<string>();
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    let name = c.pick(NAMES);
    if (used.has(name)) name = `${name}${i}`;
    used.add(name);
    const dtype = c.pick(Object.keys(SIZES));
    const shape = Array.from({ length: c.int(4) }, () => (c.chance(0.1) ? 0 : 1 + c.int(3)));
    const numel = shape.reduce((a, b) => a * b, 1);
    const data = Uint8Array.from({ length: numel * SIZES[dtype]! }, (_, k) => (dtype === 'I64' && k % 8 >= 4 && !c.chance(0.02) ? 0 : c.int(256)));
    entries.push({ name, dtype, shape, data });
  }
  const metadata = c.chance(0.5) ? JSON.stringify({ format: 'pt', note: c.pick(['', 'x', '__proto__']) }) : null;
  return { entries, metadata };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function nested(depth: number, open: string, close: string, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/**
 * The header mutations of a safetensors file (also used by `files/checkpoint`): each rewrites the
 * header text (or the length field) and keeps the data buffer.
 *
 * @example
 * ```ts
 * import { chooser, mutateSafetensorsHeader, safetensorsFile } from '@tensorgrad/fuzz';
 * const file = safetensorsFile('{"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', Uint8Array.of(7));
 * mutateSafetensorsHeader(chooser('demo/st', 2), file).what.length > 0; // true
 * ```
 */
export function mutateSafetensorsHeader(c: Chooser, file: Uint8Array): Mutated {
  const parts = splitSafetensors(file);
  if (!parts) return mutateBytes(c, file);
  const { header, data } = parts;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const entry = (): Record<string, unknown> | null => {
    const name = names.length ? c.pick(names) : undefined;
    const e = name === undefined ? undefined : header[name];
    return e !== null && typeof e === 'object' ? (e as Record<string, unknown>) : null;
  };
  const rebuild = (text: string, what: string, length?: bigint): Mutated => ({ bytes: safetensorsFile(text, data, length), what });
  let text: string;
  try {
    text = JSON.stringify(header);
  } catch {
    return mutateBytes(c, file); // a header too deep to re-serialize
  }
  switch (c.int(12)) {
    case 0:
      return rebuild(text, `header length field set to ${String(c.pick(HUGE_U64))}`, c.pick(HUGE_U64));
    case 1: {
      const k = c.int(16) - 8;
      const n = BigInt(Math.max(0, Math.ceil(new TextEncoder().encode(text).length / 8) * 8 + k));
      return rebuild(text, `header length field off by ${k}`, n);
    }
    case 2: {
      const v = c.pick(['[]', '"x"', '1', 'null', 'true', '[{"dtype":"F32"}]', '{}']);
      return rebuild(v, `header JSON replaced by ${v}`);
    }
    case 3: {
      const v = c.pick([text.slice(0, -1), `${text.slice(0, -1)},}`, text.replace(/"/g, "'"), `${text}x`, text.replace(/\d+/, 'NaN'), '\u0000']);
      return rebuild(v, `header JSON made invalid (${JSON.stringify(v.slice(0, 24))}…)`);
    }
    case 4: {
      const depth = c.pick([100, 1000, 10_000, 100_000]);
      const where = c.int(3);
      const deep = nested(depth, '[', ']', '0');
      const v =
        where === 0
          ? `{"__metadata__":{"a":"b"},"deep":${deep}}`
          : where === 1
            ? `${text.slice(0, -1)}${names.length || Object.hasOwn(header, '__metadata__') ? ',' : ''}"__metadata__x":${nested(depth, '{"a":', '}', '1')}}`
            : `{"t":{"dtype":"F32","shape":${deep},"data_offsets":[0,0]}}`;
      return rebuild(v, `header nested ${depth} deep (${['a list value', 'an object value', 'a shape'][where]})`);
    }
    case 5: {
      if (!names.length) return rebuild(`{"a":1,"a":2}`, 'header with a duplicated key');
      const n = c.pick(names);
      const one = `${JSON.stringify(n)}:${JSON.stringify(header[n])}`;
      const dupField = c.chance(0.5);
      const v = dupField ? text.replace('"dtype":', '"dtype":"F32","dtype":') : `${text.slice(0, -1)},${one}}`;
      return rebuild(v, dupField ? 'a duplicated "dtype" field' : `tensor ${JSON.stringify(n)} listed twice`);
    }
    case 6: {
      const e = entry();
      if (!e) return mutateBytes(c, file);
      e.dtype = c.pick(['F128', 'f32', '', 'U64', 'C64', 'F8_E4M3', 'F4', 'F6_E2M3', 7, null, ['F32']]);
      return rebuild(JSON.stringify(header), `a dtype set to ${JSON.stringify(e.dtype)}`);
    }
    case 7: {
      const e = entry();
      if (!e) return mutateBytes(c, file);
      e.shape = c.pick([[2 ** 40], [2 ** 31, 2 ** 31], [2 ** 53], [2 ** 53 + 2], [1e308], [-1], [1.5], ['3'], [0, 2 ** 52], [2 ** 32, 2 ** 32, 0], Array(64).fill(2), 'x', null]);
      return rebuild(JSON.stringify(header), `a shape set to ${JSON.stringify(e.shape)}`);
    }
    case 8: {
      const e = entry();
      if (!e) return mutateBytes(c, file);
      const [b, end] = Array.isArray(e.data_offsets) ? (e.data_offsets as number[]) : [0, 0];
      e.data_offsets = c.pick([
        [b, (end ?? 0) + 1e12],
        [0, end],
        [end, b],
        [b + data.length + 8, (end ?? 0) + data.length + 8],
        [b, 2 ** 64],
        [b - 1, end],
        [b + 0.5, end],
        [b],
        [b, end, 0],
        '0-4',
        [2 ** 53, 2 ** 53 + (end! - b!)],
      ]);
      return rebuild(JSON.stringify(header), `data_offsets set to ${JSON.stringify(e.data_offsets)}`);
    }
    case 9: {
      const e = entry();
      if (!e || !Array.isArray(e.shape)) return mutateBytes(c, file);
      const shape = e.shape as number[];
      if (shape.length && c.chance(0.7)) shape[c.int(shape.length)] += c.chance(0.5) ? 1 : -1;
      else shape.push(2);
      return rebuild(JSON.stringify(header), `shape changed to ${JSON.stringify(shape)} (disagrees with the byte length)`);
    }
    case 10: {
      const v = c.pick<unknown>([{ a: 1 }, { a: null }, { a: ['x'] }, [], 'x', 5, { ['__proto__']: 'x' }]);
      const meta = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 ? '{"__proto__":"x"}' : JSON.stringify(v);
      const body = text.slice(1, -1);
      return rebuild(`{"__metadata__":${meta}${body && !Object.hasOwn(header, '__metadata__') ? `,${body}` : ''}}`, `__metadata__ set to ${meta}`);
    }
    default: {
      const e = entry();
      if (!e) return mutateBytes(c, file);
      e[c.pick(['offsets', 'strides', '__proto__', 'Dtype'])] = 1;
      return rebuild(JSON.stringify(header), 'an entry with an unknown field');
    }
  }
}

/** The element bytes of a loaded tensor in safetensors' encoding (little-endian), or null for dtypes not compared. */
function tensorBytesAs(t: Tensor, dtype: string): Uint8Array | null {
  const d = t.dataSync();
  if (dtype === 'F32' || dtype === 'F64' || dtype === 'I32') return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  if (dtype === 'BOOL') return Uint8Array.from(d as Uint8Array, (v) => (v ? 1 : 0));
  return null;
}

/**
 * Checks a loaded file against its own header, parsed here with `JSON.parse`: the same tensor
 * names (own keys, so `__proto__` counts), shapes, and the same bytes for F32/F64/I32 (BOOL: zero
 * or not).
 */
function checkLoaded(r: LoadedSafetensors, bytes: Uint8Array): string | null {
  const parts = splitSafetensors(bytes);
  if (!parts) return 'it loaded a file whose header JSON.parse cannot read as an object';
  const { header, data } = parts;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const got = Object.keys(r.tensors);
  if (JSON.stringify([...names].sort()) !== JSON.stringify([...got].sort())) {
    return `the header names tensors ${JSON.stringify(names)} but the result has ${JSON.stringify(got)}`;
  }
  for (const name of names) {
    const e = header[name] as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const t = r.tensors[name]!;
    if (JSON.stringify(t.shape) !== JSON.stringify(e.shape)) return `tensor ${JSON.stringify(name)} has shape [${t.shape.join(', ')}], the header says [${e.shape.join(', ')}]`;
    const want = data.subarray(e.data_offsets[0], e.data_offsets[1]);
    const have = tensorBytesAs(t, e.dtype);
    if (have && (e.dtype === 'BOOL' ? have.some((v, i) => v !== (want[i] ? 1 : 0)) : have.length !== want.length || have.some((v, i) => v !== want[i]))) {
      return `tensor ${JSON.stringify(name)} (${e.dtype}) holds other bytes than the file`;
    }
  }
  const meta = header.__metadata__;
  if (meta && typeof meta === 'object') {
    for (const k of Object.keys(meta)) if (!Object.hasOwn(r.metadata, k)) return `the metadata key ${JSON.stringify(k)} is missing from the result`;
  }
  return null;
}

/**
 * The bytes a set of tensors holds (4 per element, 8 for float64): what a reader's result
 * legitimately allocates.
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { tensor } from '@tensorgrad/tensor';
 * import { tensorBytes } from '@tensorgrad/fuzz';
 * const t = tensor([[1, 2, 3]]);
 * tensorBytes([t]); // 12
 * t.dispose();
 * ```
 */
export function tensorBytes(tensors: Iterable<Tensor>): number {
  let n = 0;
  for (const t of tensors) n += t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'float64' ? 8 : 4);
  return n;
}

/**
 * The safetensors fuzzer (`files/safetensors`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { safetensorsFileTarget } from '@tensorgrad/fuzz';
 * (await safetensorsFileTarget.run(1)).length > 0; // true
 * ```
 */
export const safetensorsFileTarget: FuzzTarget = {
  name: 'files/safetensors',
  async run(seed) {
    const c = chooser(this.name, seed);
    const { entries, metadata } = randomEntries(c);
    const file = safetensorsFile(headerText(entries, metadata), concat(entries.map((e) => e.data)));
    const m = mutateSome(c, file, [mutateBytes, mutateSafetensorsHeader, mutateSafetensorsHeader, mutateSafetensorsHeader]);
    return judgeRead<LoadedSafetensors>({
      id: `${this.name}:${seed}`,
      what: `${m.what} (of ${entries.map((e) => `${JSON.stringify(e.name)} ${e.dtype}[${e.shape.join(',')}]`).join(', ')})`,
      bytes: m.bytes,
      read: (b) => loadSafetensors(b, { backend: 'cpu' }),
      check: checkLoaded,
      resultBytes: (r) => tensorBytes(Object.values(r.tensors)),
      dispose: (r) => {
        for (const t of Object.values(r.tensors)) t.dispose();
      },
      errorNames: /^(readSafetensorsHeader|loadSafetensors): /,
    });
  },
};
