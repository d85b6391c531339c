/**
 * `files/pth`: hostile PyTorch checkpoints for `loadTorchObject` (`@tensorgrad/io`). Each case
 * starts from a valid file — a random state dict written by `saveTorch` (ZIP format), or one of
 * the files Debian's PyTorch wrote into `packages/io/test/fixtures/` (ZIP and legacy format) —
 * and mutates it: the generic byte mutations; ZIP fields (entry count, central directory size and
 * offset, entry sizes, header offsets, name and extra lengths) set to huge values; bytes of the
 * pickle changed with the CRC-32 fixed up, so the damage reaches the unpickler; pickle lengths
 * (BINUNICODE, BINBYTES, LONG4, memo indices) set to huge values; and whole pickles swapped in —
 * a forbidden global (`os.system`, `builtins.eval`, …) called through GLOBAL, STACK_GLOBAL or a
 * REDUCE of an arbitrary callable, opcodes outside the allowed set, and tensors whose storage
 * sizes, shapes, strides and offsets are huge or point outside their storage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { loadTorchObject, saveTorch, type TorchValue } from '@tensorgrad/io';
import { Tensor, tensor, tidy } from '@tensorgrad/tensor';
import type { FuzzTarget } from '../target.js';
import { chooser, HUGE_U32, judgeRead, mutateBytes, mutateSome, type Chooser, type Mutated } from './hostile.js';
import { tensorBytes } from './safetensors.js';

const FIXTURES = ['checkpoint.pth', 'dtypes.pth', 'dtypes-legacy.pth', 'sequential.pth', 'sequential-legacy.pth', 'sequential-protocol4.pth', 'views.pth', 'views-legacy.pth'];
const fixtureCache = new Map<string, Uint8Array>();

/** A valid file written by PyTorch 1.13 (committed with the io package's tests). */
function fixture(name: string): Uint8Array {
  let b = fixtureCache.get(name);
  if (!b) {
    b = new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../../packages/io/test/fixtures/${name}`, import.meta.url))));
    fixtureCache.set(name, b);
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// pickles, written opcode by opcode

const enc = new TextEncoder();
const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const op = {
  proto: [0x80, 2],
  mark: [0x28],
  tuple: [0x74],
  reduce: [0x52],
  stop: [0x2e],
  global: (m: string, n: string): number[] => [0x63, ...enc.encode(`${m}\n${n}\n`)],
  str: (s: string): number[] => {
    const b = enc.encode(s);
    return [0x58, ...u32(b.length), ...b];
  },
  /** An integer: BININT for 32-bit values, LONG1 (8 bytes) beyond. */
  int: (v: number | bigint): number[] => {
    const b = BigInt(v);
    if (b >= -(2n ** 31n) && b < 2n ** 31n) return [0x4a, ...u32(Number(b) >>> 0)];
    return [0x8a, 8, ...Array.from({ length: 8 }, (_, i) => Number((b >> BigInt(8 * i)) & 0xffn))];
  },
  ints: (vs: ReadonlyArray<number | bigint>): number[] => [0x28, ...vs.flatMap((v) => op.int(v)), 0x74],
};

/** What a swapped-in pickle is, and what the reader's error must then say. */
interface EvilPickle {
  bytes: number[];
  what: string;
  /** The error must match it (the forbidden global, the refused opcode); null: any clear error or a consistent result. */
  must: RegExp | null;
}

/**
 * Globals a hostile pickle names to run code (or to build objects outside a state dict):
 * `torch.load(..., weights_only=True)` refuses them all, and so must tensorgrad.
 */
export const FORBIDDEN_GLOBALS: ReadonlyArray<readonly [string, string]> = [
  ['os', 'system'],
  ['posix', 'system'],
  ['nt', 'system'],
  ['builtins', 'eval'],
  ['builtins', 'exec'],
  ['builtins', 'getattr'],
  ['builtins', '__import__'],
  ['__builtin__', 'eval'],
  ['subprocess', 'Popen'],
  ['subprocess', 'check_output'],
  ['torch', 'load'],
  ['torch.storage', '_load_from_bytes'],
  ['numpy.core.multiarray', '_reconstruct'],
  ['collections', 'defaultdict'],
  ['torch._utils', '_rebuild_qtensor'],
  ['pickle', 'loads'],
  ['webbrowser', 'open'],
];

/**
 * A pickle (a legacy-format `.pth`, which is a sequence of pickles) that calls `module.name` with
 * `command` — the `__reduce__` of a hostile object — through GLOBAL, STACK_GLOBAL (protocol 4), or
 * nested as the value of a state dict entry.
 *
 * @example
 * ```ts
 * import { forbiddenGlobalPickle } from '@tensorgrad/fuzz';
 * const bytes = forbiddenGlobalPickle('os', 'system', 'GLOBAL', 'echo hi');
 * [bytes[0], bytes[1], bytes[2]]; // [0x80, 2, 0x63]
 * ```
 */
export function forbiddenGlobalPickle(module: string, name: string, via: 'GLOBAL' | 'STACK_GLOBAL' | 'nested', command: string): Uint8Array {
  const cmd = op.str(command);
  const call = [...op.mark, ...cmd, ...op.tuple, ...op.reduce];
  const bytes =
    via === 'GLOBAL'
      ? [...op.proto, ...op.global(module, name), ...call, ...op.stop]
      : via === 'STACK_GLOBAL'
        ? [0x80, 4, ...op.str(module), ...op.str(name), 0x93, ...call, ...op.stop]
        : [...op.proto, 0x7d, ...op.mark, ...op.str('w'), ...op.global(module, name), ...call, 0x75, ...op.stop];
  return Uint8Array.from(bytes);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pickle that names a forbidden global, or uses an opcode outside the allowed set. */
function evilPickle(c: Chooser): EvilPickle {
  const [m, n] = c.pick(FORBIDDEN_GLOBALS);
  const named = new RegExp(`global '${escape(m)}\\.${escape(n)}', which is not allowed`);
  const command = c.pick(['touch /tmp/pwned', 'rm -rf ~', '1+1']);
  const cmd = op.str(command);
  const kind = c.int(7);
  switch (kind) {
    case 0: // __reduce__ of an arbitrary callable: GLOBAL, argument tuple, REDUCE
    case 1: // the same through STACK_GLOBAL (protocol 4)
    case 2: {
      // hidden inside a state dict, as a value
      const via = (['GLOBAL', 'STACK_GLOBAL', 'nested'] as const)[kind];
      return { bytes: [...forbiddenGlobalPickle(m, n, via, command)], what: `REDUCE of ${m}.${n} (${via})`, must: named };
    }
    case 3: // INST / OBJ / NEWOBJ / NEWOBJ_EX / EXT1: opcodes that build arbitrary objects
      return c.pick<EvilPickle>([
        { bytes: [...op.proto, ...op.mark, ...cmd, 0x69, ...enc.encode(`${m}\n${n}\n`), ...op.stop], what: `INST ${m}.${n}`, must: /INST \(0x69\) is not supported/ },
        { bytes: [...op.proto, ...op.mark, ...op.global('collections', 'OrderedDict'), 0x6f, ...op.stop], what: 'OBJ', must: /OBJ \(0x6f\) is not supported/ },
        { bytes: [...op.proto, ...op.global('collections', 'OrderedDict'), 0x29, 0x81, ...op.stop], what: 'NEWOBJ', must: /NEWOBJ \(0x81\) is not supported/ },
        { bytes: [...op.proto, ...op.global('collections', 'OrderedDict'), 0x29, 0x7d, 0x92, ...op.stop], what: 'NEWOBJ_EX', must: /NEWOBJ_EX \(0x92\) is not supported/ },
        { bytes: [...op.proto, 0x82, 1, ...op.stop], what: 'EXT1', must: /EXT1 \(0x82\) is not supported/ },
      ]);
    case 4: // calling a global that is allowed only as a marker (a storage class, torch.Tensor)
      return {
        bytes: [...op.proto, ...op.global('torch', c.pick(['FloatStorage', 'Tensor'])), ...op.mark, ...cmd, ...op.tuple, ...op.reduce, ...op.stop],
        what: 'REDUCE of a marker class',
        must: /cannot be called/,
      };
    case 5: // BUILD (setting __dict__ / __setstate__) on a plain dict
      return { bytes: [...op.proto, 0x7d, 0x7d, 0x62, ...op.stop], what: 'BUILD on a dict', must: /BUILD .* takes no state/ };
    default: // _rebuild_from_type_v2 rebuilding a tensor of a forbidden class
      return {
        bytes: [
          ...op.proto, ...op.global('torch._tensor', '_rebuild_from_type_v2'), ...op.mark,
          ...op.global('torch._utils', '_rebuild_tensor_v2'), ...op.global(m, n), ...op.mark, 0x74, 0x7d, ...op.tuple, ...op.reduce, ...op.stop,
        ],
        what: `_rebuild_from_type_v2 with the class ${m}.${n}`,
        must: new RegExp(`${escape(m)}\\.${escape(n)}`),
      };
  }
}

/** A pickle of `{ w: tensor }` over storage '0' with hostile sizes (numel, offset, shape, stride). */
function hostileTensorPickle(c: Chooser, storageNumel: number): EvilPickle {
  const huge = [2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, 2n ** 63n - 1n, -1, 0];
  const numel = c.chance(0.5) ? storageNumel : c.pick(huge);
  const rank = c.int(4);
  const size = Array.from({ length: rank }, () => (c.chance(0.4) ? c.pick(huge) : c.int(5)));
  const stride = Array.from({ length: rank }, () => (c.chance(0.3) ? c.pick(huge) : c.int(3)));
  if (c.chance(0.2)) stride.pop();
  const offset = c.chance(0.6) ? 0 : c.pick([...huge, storageNumel, storageNumel - 1]);
  const bytes = [
    ...op.proto, 0x7d, ...op.str('w'), ...op.global('torch._utils', '_rebuild_tensor_v2'), ...op.mark,
    ...op.mark, ...op.str('storage'), ...op.global('torch', 'FloatStorage'), ...op.str('0'), ...op.str('cpu'), ...op.int(numel), ...op.tuple, 0x51,
    ...op.int(offset), ...op.ints(size), ...op.ints(stride), 0x89, ...op.global('collections', 'OrderedDict'), 0x29, ...op.reduce, ...op.tuple, ...op.reduce,
    0x73, ...op.stop,
  ];
  return { bytes, what: `tensor of storage numel ${numel}, offset ${offset}, size (${size.join(', ')}), stride (${stride.join(', ')})`, must: null };
}

// ---------------------------------------------------------------------------------------------
// ZIP structure

interface ZipEntryAt {
  name: string;
  /** Where the central directory record starts. */
  central: number;
  /** Where the local header starts. */
  local: number;
  /** Where the data starts, and its size. */
  data: number;
  size: number;
}

/** The entries of a small (non-ZIP64) archive as torch.save and saveTorch write them, or null. */
function zipEntries(file: Uint8Array): { entries: ZipEntryAt[]; eocd: number } | null {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let eocd = -1;
  for (let at = file.length - 22; at >= 0 && at >= file.length - 22 - 65535; at--) {
    if (v.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const entries: ZipEntryAt[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > file.length || v.getUint32(p, true) !== 0x02014b50) return null;
    const nameLen = v.getUint16(p + 28, true);
    const local = v.getUint32(p + 42, true);
    if (local + 30 > file.length) return null;
    const data = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const size = v.getUint32(p + 24, true);
    if (size === 0xffffffff || data + size > file.length) return null;
    entries.push({ name: new TextDecoder().decode(file.subarray(p + 46, p + 46 + nameLen)), central: p, local, data, size });
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return { entries, eocd };
}

/** Sets a ZIP field (central directory, local header or end record) to a huge or wrong value. */
function mutateZipField(c: Chooser, file: Uint8Array): Mutated {
  const z = zipEntries(file);
  if (!z || !z.entries.length) return mutateBytes(c, file);
  const out = file.slice();
  const v = new DataView(out.buffer);
  const e = c.pick(z.entries);
  const fields: Array<[string, number, 2 | 4]> = [
    ['end record: entry count', z.eocd + 10, 2],
    ['end record: total entry count', z.eocd + 8, 2],
    ['end record: central directory size', z.eocd + 12, 4],
    ['end record: central directory offset', z.eocd + 16, 4],
    ['end record: comment length', z.eocd + 20, 2],
    [`'${e.name}': compressed size`, e.central + 20, 4],
    [`'${e.name}': size`, e.central + 24, 4],
    [`'${e.name}': name length`, e.central + 28, 2],
    [`'${e.name}': extra length`, e.central + 30, 2],
    [`'${e.name}': comment length`, e.central + 32, 2],
    [`'${e.name}': local header offset`, e.central + 42, 4],
    [`'${e.name}': compression method`, e.central + 10, 2],
    [`'${e.name}': flags`, e.central + 8, 2],
    [`'${e.name}': local name length`, e.local + 26, 2],
    [`'${e.name}': local extra length`, e.local + 28, 2],
  ];
  const [what, at, width] = c.pick(fields);
  const value = width === 2 ? c.pick([0, 1, 0xffff, 0x8000, 8]) : c.pick([...HUGE_U32, file.length, file.length - 1, e.local + 1]);
  if (width === 2) v.setUint16(at, value, true);
  else v.setUint32(at, value >>> 0, true);
  return { bytes: out, what: `ZIP ${what} set to ${value}` };
}

/** Writes `crc` into an entry's central and local headers. */
function fixCrc(out: Uint8Array, e: ZipEntryAt): void {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const crc = crc32(out.subarray(e.data, e.data + e.size));
  v.setUint32(e.central + 16, crc, true);
  v.setUint32(e.local + 14, crc, true);
}

/** Changes bytes of the pickle (`data.pkl`), or its length fields, and fixes the CRC so the unpickler sees them. */
function mutatePickleBytes(c: Chooser, file: Uint8Array): Mutated {
  const z = zipEntries(file);
  const pkl = z?.entries.find((e) => e.name.endsWith('/data.pkl'));
  if (!z || !pkl || pkl.size < 4) return mutateBytes(c, file);
  const out = file.slice();
  const v = new DataView(out.buffer);
  const body = out.subarray(pkl.data, pkl.data + pkl.size);
  let what: string;
  if (c.chance(0.5)) {
    // a length or index field: BINUNICODE/BINBYTES/LONG_BINPUT/LONG_BINGET (u32), LONG4 (i32), SHORT_* (u8)
    const at: number[] = [];
    for (let i = 0; i < body.length - 4; i++) if ([0x58, 0x42, 0x72, 0x6a, 0x8b, 0x8c, 0x71, 0x68, 0x4a].includes(body[i]!)) at.push(i);
    if (!at.length) return mutateBytes(c, file);
    const i = c.pick(at);
    const value = c.pick(HUGE_U32);
    if ([0x8c, 0x71, 0x68].includes(body[i]!)) body[i + 1] = value & 0xff;
    else v.setUint32(pkl.data + i + 1, value >>> 0, true);
    what = `pickle opcode 0x${body[i]!.toString(16)} at ${i}: its argument set to ${value}`;
  } else {
    const k = 1 + c.int(4);
    const at: number[] = [];
    for (let j = 0; j < k; j++) {
      const i = c.int(body.length);
      body[i] = c.chance(0.5) ? c.int(256) : c.pick([0x28, 0x2e, 0x30, 0x31, 0x52, 0x62, 0x63, 0x68, 0x71, 0x73, 0x74, 0x75, 0x93, 0x94, 0x95]);
      at.push(i);
    }
    what = `pickle bytes ${at.join(', ')} changed`;
  }
  fixCrc(out, pkl);
  return { bytes: out, what: `${what} (CRC fixed)` };
}

/** Pads a pickle to exactly `length` bytes with no-op opcode pairs in front (NONE POP, SHORT_BINUNICODE '' POP). */
function padTo(pickle: readonly number[], length: number): number[] | null {
  let d = length - pickle.length;
  if (d < 0 || d === 1) return null;
  const pad: number[] = [];
  if (d % 2 === 1) {
    pad.push(0x8c, 0, 0x30);
    d -= 3;
  }
  for (; d > 0; d -= 2) pad.push(0x4e, 0x30);
  return [...pad, ...pickle];
}

/** Swaps in a whole pickle: in the ZIP (same length, CRC fixed) when it fits, else as a legacy-format file. */
function swapPickle(file: Uint8Array, p: EvilPickle): Mutated {
  const z = zipEntries(file);
  const pkl = z?.entries.find((e) => e.name.endsWith('/data.pkl'));
  const padded = pkl ? padTo(p.bytes, pkl.size) : null;
  if (!z || !pkl || !padded) return { bytes: Uint8Array.from(p.bytes), what: `${p.what} (as a legacy-format file)` };
  const out = file.slice();
  out.set(padded, pkl.data);
  fixCrc(out, pkl);
  return { bytes: out, what: `${p.what} (as the ZIP's data.pkl)` };
}

// ---------------------------------------------------------------------------------------------

async function baseFile(c: Chooser): Promise<{ bytes: Uint8Array; what: string; storageNumel: number }> {
  if (c.chance(0.4)) {
    const name = c.pick(FIXTURES);
    return { bytes: fixture(name), what: name, storageNumel: 1 };
  }
  const made: Tensor[] = [];
  const sd: Record<string, Tensor> = {};
  const n = 1 + c.int(4);
  let first = 0;
  for (let i = 0; i < n; i++) {
    const shape = Array.from({ length: c.int(3) }, () => 1 + c.int(3));
    const numel = shape.reduce((a, b) => a * b, 1);
    if (i === 0) first = numel;
    const dtype = c.pick(['float32', 'float64', 'int32', 'bool'] as const);
    const values = Array.from({ length: numel }, () => (dtype === 'bool' ? c.chance(0.5) : c.int(100) - 50));
    const t = tidy(() => tensor(values, { dtype }).reshape(shape));
    made.push(t);
    sd[`${c.pick(['layer', 'fc', '__proto__', 'bn'])}.${i}`] = t;
  }
  try {
    return { bytes: await saveTorch(sd), what: `saveTorch of ${n} tensors`, storageNumel: first };
  } finally {
    for (const t of made) t.dispose();
  }
}

function tensorsIn(v: unknown, out: Set<Tensor>, depth = 0): Set<Tensor> {
  if (v instanceof Tensor) out.add(v);
  else if (depth < 1100 && v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) for (const x of Object.values(v)) tensorsIn(x, out, depth + 1);
  return out;
}

/** The loaded value is made of what a checkpoint may hold: tensors (alive), dicts, lists, primitives, bytes. */
function checkValue(v: unknown, path = 'the value', depth = 0): string | null {
  if (depth > 1100) return `${path} nests more than 1100 levels (the reader's limit is 1000)`;
  if (v instanceof Tensor) return v.isDisposed ? `${path} is a disposed tensor` : null;
  if (v === null || v instanceof Uint8Array || ['string', 'number', 'bigint', 'boolean'].includes(typeof v)) return null;
  if (typeof v !== 'object') return `${path} is a ${typeof v}`;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype) return `${path} is an object with the prototype ${String((proto as object | null)?.constructor?.name)}`;
  for (const [k, x] of Object.entries(v)) {
    const bad = checkValue(x, `${path}[${JSON.stringify(k)}]`, depth + 1);
    if (bad) return bad;
  }
  return null;
}

/**
 * The `.pth` fuzzer (`files/pth`).
 *
 * @example
 * ```ts
 * import '@tensorgrad/backend-cpu';
 * import { pthFileTarget } from '@tensorgrad/fuzz';
 * (await pthFileTarget.run(1)).length > 0; // true
 * ```
 */
export const pthFileTarget: FuzzTarget = {
  name: 'files/pth',
  async run(seed) {
    const c = chooser(this.name, seed);
    const base = await baseFile(c);
    let m: Mutated;
    let must: RegExp | null = null;
    const kind = c.int(10);
    if (kind < 2) {
      const p = evilPickle(c);
      must = p.must;
      m = swapPickle(base.bytes, p);
    } else if (kind < 4) {
      m = swapPickle(base.bytes, hostileTensorPickle(c, base.storageNumel));
      if (c.chance(0.3)) {
        const more = mutateSome(c, m.bytes, [mutateBytes, mutateZipField]);
        m = { bytes: more.bytes, what: `${m.what}; ${more.what}` };
      }
    } else m = mutateSome(c, base.bytes, [mutateBytes, mutateZipField, mutatePickleBytes, mutatePickleBytes]);
    return judgeRead<TorchValue>({
      id: `${this.name}:${seed}`,
      what: `${m.what} (of ${base.what})`,
      bytes: m.bytes,
      read: (b) => loadTorchObject(b, { mapLocation: 'cpu' }),
      check: (v) => checkValue(v),
      resultBytes: (v) => tensorBytes(tensorsIn(v, new Set())),
      dispose: (v) => {
        for (const t of tensorsIn(v, new Set())) t.dispose();
      },
      errorNames: /^loadTorchObject: /,
      ...(must ? { errorMust: must } : {}),
    });
  },
};
