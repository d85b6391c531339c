import { fromTypedArray, Tensor, type DType, type TypedArray } from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from '@tensorgrad/tensor/backend';
import { atomicWrite, readFileBytes } from './node-fs.js';
import { isDict, newDict, setItem, unpickle, type PyDict, type PyGlobal, type UnpickleHooks } from './pickle.js';
import type { StateDict } from './safetensors.js';
import { crc32, readZip, writeZip, type ZipEntry, type ZipInput } from './zip.js';
import { LITTLE_ENDIAN, float16ToFloat32 } from './bytes.js';

/**
 * A value of a PyTorch checkpoint as {@link loadTorchObject} returns it: tensors, Python dicts
 * (plain objects in file order; int keys become decimal strings), lists and tuples (arrays),
 * `str`, `int` (a number, or a `bigint` beyond 2^53), `float`, `bool`, `None` (`null`) and
 * `bytes` (`Uint8Array`).
 */
export type TorchValue =
  | Tensor
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | TorchValue[]
  | { [key: string]: TorchValue };

/** Options of {@link loadTorch} and {@link loadTorchObject}. */
export interface LoadTorchOptions {
  /**
   * PyTorch's `map_location`, as a tensorgrad backend name (`'cpu'`, `'webgpu'`, …): where the
   * tensors are created, whatever device they were saved from. Default: the current backend.
   */
  mapLocation?: string;
  /** Same as `mapLocation` (tensorgrad's usual name). */
  backend?: string;
  /**
   * PyTorch's `weights_only`: tensorgrad always loads as with `weights_only=True` (nothing in
   * the file is executed); `false` is refused.
   */
  weightsOnly?: boolean;
  /**
   * {@link loadTorch} only: where the state dict is inside a checkpoint that holds more than one
   * (`'state_dict'` for `{ state_dict: …, epoch: … }`; an array for a nested path,
   * `['model', 'ema']`). Without it the file's top-level object must be the state dict.
   */
  key?: string | readonly string[];
}

const LOAD_TORCH = signature('loadTorch', ['f', 'mapLocation', 'pickleModule', 'weightsOnly', 'mmap', 'backend', 'key'], {
  required: 1,
  keywordOnly: ['weightsOnly', 'mmap', 'backend', 'key'],
  unsupported: {
    pickleModule: 'tensorgrad reads pickles with its own restricted reader; drop the argument',
    mmap: 'the file is read into memory; drop the argument',
  },
});
const LOAD_TORCH_OBJECT = signature('loadTorchObject', ['f', 'mapLocation', 'pickleModule', 'weightsOnly', 'mmap', 'backend'], {
  required: 1,
  keywordOnly: ['weightsOnly', 'mmap', 'backend'],
  unsupported: LOAD_TORCH.unsupported,
});

interface StorageType {
  /** PyTorch's storage class name (`FloatStorage`). */
  readonly name: string;
  readonly itemsize: number;
  /** tensorgrad's dtype for it. */
  readonly dtype: DType;
}

const STORAGE_TYPES: Readonly<Record<string, StorageType>> = Object.fromEntries(
  (
    [
      ['FloatStorage', 4, 'float32'],
      ['DoubleStorage', 8, 'float64'],
      ['HalfStorage', 2, 'float32'],
      ['BFloat16Storage', 2, 'float32'],
      ['LongStorage', 8, 'int32'],
      ['IntStorage', 4, 'int32'],
      ['ShortStorage', 2, 'int32'],
      ['CharStorage', 1, 'int32'],
      ['ByteStorage', 1, 'int32'],
      ['BoolStorage', 1, 'bool'],
    ] as const
  ).map(([name, itemsize, dtype]) => [name, { name, itemsize, dtype }]),
);

const UNSUPPORTED_STORAGES = ['ComplexFloatStorage', 'ComplexDoubleStorage', 'QInt8Storage', 'QUInt8Storage', 'QInt32Storage', 'QUInt4x2Storage', 'QUInt2x4Storage'];

/** A storage a persistent id refers to; its bytes may come later (legacy format). */
class Storage {
  bytes: Uint8Array | null = null;
  /** For a legacy storage view: the root storage and the element offset into it. */
  root: Storage | null = null;
  rootOffset = 0;
  constructor(
    readonly type: StorageType,
    readonly key: string,
    readonly numel: number,
  ) {}
  data(op: string): Uint8Array {
    if (this.root) {
      const b = this.root.data(op);
      return b.subarray(this.rootOffset * this.type.itemsize, (this.rootOffset + this.numel) * this.type.itemsize);
    }
    if (!this.bytes) throw new Error(`${op}: storage '${this.key}' is referred to but its data is missing from the file; the file is truncated or corrupt`);
    return this.bytes;
  }
}

/** A tensor described by the pickle, made into a Tensor once every storage's data is known. */
class TensorRef {
  constructor(
    readonly storage: Storage,
    readonly offset: number,
    readonly size: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

function show(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Array.isArray(v)) return `a sequence of ${v.length}`;
  if (v instanceof TensorRef) return 'a tensor';
  if (v instanceof Storage) return 'a storage';
  if (typeof v === 'object') return isDict(v) ? 'a dict' : 'an object';
  return `${typeof v} ${String(v)}`;
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Validates `_rebuild_tensor*`'s arguments against the storage; nothing is allocated here. */
function tensorRef(op: string, storage: unknown, offset: unknown, size: unknown, stride: unknown): TensorRef {
  if (!(storage instanceof Storage)) throw new Error(`${op}: a tensor is rebuilt from ${show(storage)} instead of a storage; the file is corrupt`);
  if (!isIndex(offset)) throw new Error(`${op}: a tensor has the storage offset ${show(offset)}; expected a non-negative integer; the file is corrupt`);
  if (!Array.isArray(size) || !size.every(isIndex)) {
    throw new Error(`${op}: a tensor has the size ${Array.isArray(size) ? `(${size.map(String).join(', ')})` : show(size)}; expected a tuple of non-negative integers; the file is corrupt`);
  }
  if (!Array.isArray(stride) || stride.length !== size.length || !stride.every(isIndex)) {
    throw new Error(
      `${op}: a tensor of size (${size.join(', ')}) has the stride ${Array.isArray(stride) ? `(${stride.map(String).join(', ')})` : show(stride)}; ` +
        'expected one non-negative integer per dimension; the file is corrupt',
    );
  }
  let numel = 1;
  let last = offset; // the largest element index the tensor reads
  for (let d = 0; d < size.length; d++) {
    numel *= size[d]!;
    if (size[d]! > 0) last += (size[d]! - 1) * stride[d]!;
  }
  if (numel > 0 && (!Number.isSafeInteger(last) || last >= storage.numel)) {
    throw new Error(
      `${op}: a tensor of size (${size.join(', ')}), stride (${stride.join(', ')}) and storage offset ${offset} reads up to element ${last} ` +
        `of storage '${storage.key}', which has only ${storage.numel} elements; the file is corrupt (a tensor larger than its storage)`,
    );
  }
  if (numel === 0 && offset > storage.numel) {
    throw new Error(`${op}: an empty tensor has the storage offset ${offset}, past the end of storage '${storage.key}' (${storage.numel} elements); the file is corrupt`);
  }
  if (numel > 2 ** 31 - 1) {
    throw new Error(`${op}: a tensor of size (${size.join(', ')}) has ${numel} elements; tensorgrad tensors hold at most 2^31 - 1`);
  }
  return new TensorRef(storage, offset, size as number[], stride as number[]);
}

/** The allowed globals: what `torch.load(..., weights_only=True)` allows for state dicts. */
function allowedGlobals(op: string): (module: string, name: string) => PyGlobal | undefined {
  const ordered: PyGlobal = {
    module: 'collections',
    name: 'OrderedDict',
    call: (args) => {
      const d = newDict();
      if (args.length === 0) return d;
      if (args.length === 1 && Array.isArray(args[0])) {
        for (const pair of args[0]) {
          if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${op}: OrderedDict(...) is given ${show(pair)} instead of a (key, value) pair; the file is corrupt`);
          setItem(op, d, pair[0], pair[1]);
        }
        return d;
      }
      throw new Error(`${op}: OrderedDict is called with ${args.length} arguments; expected none or a list of pairs; the file is corrupt`);
    },
    // an OrderedDict's instance attributes (a state dict's `_metadata` of module versions) are not kept
    build: (_target, state) => {
      if (!isDict(state) && state !== null) throw new Error(`${op}: an OrderedDict's state is ${show(state)}; expected a dict; the file is corrupt`);
    },
  };
  const rebuildV2: PyGlobal = {
    module: 'torch._utils',
    name: '_rebuild_tensor_v2',
    call: (args) => {
      if (args.length < 4 || args.length > 7) throw new Error(`${op}: _rebuild_tensor_v2 is called with ${args.length} arguments; expected 6 (or 4 to 7); the file is corrupt`);
      return tensorRef(op, args[0], args[1], args[2], args[3]);
    },
    // a tensor's Python attributes (none for state dict entries) are not kept
    build: () => undefined,
  };
  const rebuild: PyGlobal = {
    module: 'torch._utils',
    name: '_rebuild_tensor',
    call: (args) => {
      if (args.length !== 4) throw new Error(`${op}: _rebuild_tensor is called with ${args.length} arguments; expected 4; the file is corrupt`);
      return tensorRef(op, args[0], args[1], args[2], args[3]);
    },
  };
  const parameter = (name: string, count: number): PyGlobal => ({
    module: 'torch._utils',
    name,
    call: (args) => {
      if (args.length !== count || !(args[0] instanceof TensorRef)) {
        throw new Error(`${op}: ${name} is called with ${args.length} arguments (first ${show(args[0])}); expected a tensor and ${count - 1} more; the file is corrupt`);
      }
      return args[0];
    },
    build: () => undefined,
  });
  const marker = (module: string, name: string): PyGlobal => ({ module, name });
  const fromType: PyGlobal = {
    module: 'torch._tensor',
    name: '_rebuild_from_type_v2',
    call: (args) => {
      const [fn, type, fnArgs] = args as [PyGlobal, PyGlobal, unknown];
      const typeName = typeof type === 'object' && type !== null && 'module' in type ? `${type.module}.${type.name}` : show(type);
      if (args.length !== 4 || typeof fn?.call !== 'function' || !Array.isArray(fnArgs)) {
        throw new Error(`${op}: _rebuild_from_type_v2 is called with unexpected arguments; the file is corrupt`);
      }
      if (typeName !== 'torch.Tensor' && typeName !== 'torch.nn.parameter.Parameter') {
        throw new Error(`${op}: the file rebuilds a tensor of the class '${typeName}', which is not allowed; only torch.Tensor and torch.nn.Parameter are loaded`);
      }
      return fn.call(fnArgs);
    },
    build: () => undefined,
  };
  const size: PyGlobal = {
    module: 'torch',
    name: 'Size',
    call: (args) => {
      if (args.length !== 1 || !Array.isArray(args[0])) throw new Error(`${op}: torch.Size is called with unexpected arguments; the file is corrupt`);
      return args[0];
    },
  };
  const encode: PyGlobal = {
    module: '_codecs',
    name: 'encode',
    call: (args) => {
      // Python 3 pickles `bytes` at protocol 2 as _codecs.encode(text, 'latin1')
      const [s, enc] = args;
      if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) {
        throw new Error(`${op}: _codecs.encode is called with ${show(s)}, ${show(enc)}; only (str, 'latin1') is read`);
      }
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 255) throw new Error(`${op}: _codecs.encode(..., 'latin1') is given a character outside latin1; the file is corrupt`);
        out[i] = c;
      }
      return out;
    },
  };
  const table = new Map<string, PyGlobal>([
    ['collections.OrderedDict', ordered],
    ['torch._utils._rebuild_tensor_v2', rebuildV2],
    ['torch._utils._rebuild_tensor', rebuild],
    ['torch._utils._rebuild_parameter', parameter('_rebuild_parameter', 3)],
    ['torch._utils._rebuild_parameter_with_state', parameter('_rebuild_parameter_with_state', 4)],
    ['torch._tensor._rebuild_from_type_v2', fromType],
    ['torch.Tensor', marker('torch', 'Tensor')],
    ['torch.nn.parameter.Parameter', marker('torch.nn.parameter', 'Parameter')],
    ['torch.Size', size],
    ['_codecs.encode', encode],
  ]);
  for (const name of Object.keys(STORAGE_TYPES)) table.set(`torch.${name}`, marker('torch', name));
  for (const name of UNSUPPORTED_STORAGES) table.set(`torch.${name}`, marker('torch', name));
  return (module, name) => table.get(`${module}.${name}`);
}

/** Reads `('storage', torch.XStorage, key, location, numel[, view_metadata])`. */
function parseStoragePid(op: string, pid: unknown, legacy: boolean): { type: StorageType; key: string; numel: number; view: unknown } {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length !== (legacy ? 6 : 5)) {
    throw new Error(
      `${op}: the pickle has the persistent id ${Array.isArray(pid) ? `(${pid.map(show).join(', ')})` : show(pid)}; ` +
        `expected ('storage', storage type, key, location, size${legacy ? ', view metadata' : ''}); the file is corrupt`,
    );
  }
  const [, cls, key, location, numel] = pid as [string, PyGlobal, unknown, unknown, unknown];
  const clsName = typeof cls === 'object' && cls !== null && 'name' in cls ? cls.name : undefined;
  if (clsName === undefined || !(clsName in STORAGE_TYPES)) {
    if (clsName && UNSUPPORTED_STORAGES.includes(clsName)) {
      throw new Error(`${op}: the file holds a torch.${clsName} (complex or quantized tensors), which tensorgrad has no dtype for; convert it in PyTorch first (e.g. .float())`);
    }
    throw new Error(`${op}: a persistent id names the storage type ${show(clsName ?? cls)}; expected one of ${Object.keys(STORAGE_TYPES).map((s) => `torch.${s}`).join(', ')}`);
  }
  if (typeof key !== 'string' && !isIndex(key)) throw new Error(`${op}: a storage has the key ${show(key)}; expected a string; the file is corrupt`);
  if (typeof location !== 'string') throw new Error(`${op}: storage '${String(key)}' has the location ${show(location)}; expected a string such as 'cpu'; the file is corrupt`);
  if (!isIndex(numel)) throw new Error(`${op}: storage '${String(key)}' has the size ${show(numel)}; expected a non-negative integer; the file is corrupt`);
  return { type: STORAGE_TYPES[clsName]!, key: String(key), numel, view: (pid as unknown[])[5] };
}



/** The storage's elements as a typed array of its own type, in host byte order (no copy when aligned). */
function sourceArray(type: StorageType, raw: Uint8Array): ArrayLike<number | bigint> {
  const k = type.itemsize;
  let bytes = raw;
  if (bytes.byteOffset % k !== 0 || (!LITTLE_ENDIAN && k > 1)) {
    bytes = raw.slice();
    if (!LITTLE_ENDIAN) for (let i = 0; i < bytes.length; i += k) bytes.subarray(i, i + k).reverse();
  }
  const n = bytes.length / k;
  const b = bytes.buffer;
  const o = bytes.byteOffset;
  switch (type.name) {
    case 'FloatStorage':
      return new Float32Array(b, o, n);
    case 'DoubleStorage':
      return new Float64Array(b, o, n);
    case 'LongStorage':
      return new BigInt64Array(b, o, n);
    case 'IntStorage':
      return new Int32Array(b, o, n);
    case 'ShortStorage':
      return new Int16Array(b, o, n);
    case 'HalfStorage':
    case 'BFloat16Storage':
      return new Uint16Array(b, o, n);
    case 'CharStorage':
      return new Int8Array(b, o, n);
    default: // Byte, Bool
      return bytes;
  }
}

/** Copies the elements a tensor views (offset, size, stride) into a new contiguous array of tensorgrad's dtype. */
function materialize(op: string, name: string, ref: TensorRef): { data: TypedArray; shape: number[] } {
  const { storage, offset, size, stride } = ref;
  const type = storage.type;
  const src = sourceArray(type, storage.data(op));
  const numel = size.reduce((a, b) => a * b, 1);
  let out: TypedArray;
  let put: (i: number, j: number) => void;
  switch (type.name) {
    case 'FloatStorage':
    case 'DoubleStorage':
    case 'IntStorage': {
      const o = (out = type.name === 'FloatStorage' ? new Float32Array(numel) : type.name === 'DoubleStorage' ? new Float64Array(numel) : new Int32Array(numel)) as Float32Array;
      const s = src as Float32Array;
      put = (i, j) => {
        o[i] = s[j]!;
      };
      break;
    }
    case 'ShortStorage':
    case 'CharStorage':
    case 'ByteStorage': {
      const o = (out = new Int32Array(numel));
      const s = src as Int16Array;
      put = (i, j) => {
        o[i] = s[j]!;
      };
      break;
    }
    case 'BoolStorage': {
      const o = (out = new Uint8Array(numel));
      const s = src as Uint8Array;
      put = (i, j) => {
        o[i] = s[j]! !== 0 ? 1 : 0;
      };
      break;
    }
    case 'LongStorage': {
      const o = (out = new Int32Array(numel));
      const s = src as BigInt64Array;
      put = (i, j) => {
        const v = s[j]!;
        if (v > 2147483647n || v < -2147483648n) {
          throw new RangeError(
            `${op}: ${name} is an int64 tensor, read as int32, but its element ${i} is ${v}, outside the int32 range [-2147483648, 2147483647]; ` +
              'tensorgrad has no int64 dtype: convert the tensor in PyTorch (e.g. .double()) and save again',
          );
        }
        o[i] = Number(v);
      };
      break;
    }
    case 'HalfStorage': {
      const o = (out = new Float32Array(numel));
      const s = src as Uint16Array;
      put = (i, j) => {
        o[i] = float16ToFloat32(s[j]!);
      };
      break;
    }
    case 'BFloat16Storage': {
      const o = (out = new Float32Array(numel));
      const s = src as Uint16Array;
      const bits = new Uint32Array(o.buffer);
      put = (i, j) => {
        bits[i] = s[j]! << 16;
      };
      break;
    }
    default:
      throw new Error(`${op}: ${name} has the storage type ${type.name}, which is not readable`);
  }
  const rank = size.length;
  let contiguous = true;
  for (let d = rank - 1, expect = 1; d >= 0; d--) {
    if (size[d]! !== 1 && stride[d]! !== expect) contiguous = false;
    expect *= size[d]!;
  }
  if (numel > 0 && contiguous && (type.name === 'FloatStorage' || type.name === 'DoubleStorage' || type.name === 'IntStorage')) {
    (out as Float32Array).set((src as Float32Array).subarray(offset, offset + numel));
  } else if (numel > 0 && contiguous) {
    for (let i = 0; i < numel; i++) put(i, offset + i);
  } else if (numel > 0) {
    const counter = new Array<number>(rank).fill(0);
    let j = offset;
    for (let i = 0; i < numel; i++) {
      put(i, j);
      for (let d = rank - 1; d >= 0; d--) {
        counter[d]!++;
        j += stride[d]!;
        if (counter[d]! < size[d]!) break;
        j -= stride[d]! * size[d]!;
        counter[d] = 0;
      }
    }
  }
  return { data: out, shape: [...size] };
}

/** The parsed file: the top-level object with TensorRefs, and every storage by key. */
interface Parsed {
  value: unknown;
  storages: Map<string, Storage>;
}

function parseZip(op: string, bytes: Uint8Array): Parsed {
  const entries = readZip(op, bytes);
  let pkl: ZipEntry | undefined;
  for (const e of entries.values()) {
    if (/^[^/]+\/data\.pkl$/.test(e.name)) {
      if (pkl) throw new Error(`${op}: the archive has two pickles ('${pkl.name}' and '${e.name}'); expected one <name>/data.pkl as torch.save writes`);
      pkl = e;
    }
  }
  if (!pkl) {
    throw new Error(
      `${op}: the ZIP archive has no '<name>/data.pkl' entry (it has ${[...entries.keys()].slice(0, 5).map((k) => `'${k}'`).join(', ') || 'no entries'}); ` +
        'expected a file written by torch.save (PyTorch ≥ 1.6)',
    );
  }
  const prefix = pkl.name.slice(0, -'data.pkl'.length);
  const checked = new Set<ZipEntry>();
  const verify = (e: ZipEntry): Uint8Array => {
    if (!checked.has(e)) {
      if (crc32(e.data) !== e.crc32) throw new Error(`${op}: the data of entry '${e.name}' does not match its CRC-32 checksum; the file is corrupt`);
      checked.add(e);
    }
    return e.data;
  };
  const storages = new Map<string, Storage>();
  const findGlobal = allowedGlobals(op);
  const hooks: UnpickleHooks = {
    findGlobal,
    persistentLoad(pid) {
      const { type, key, numel } = parseStoragePid(op, pid, false);
      let s = storages.get(key);
      if (s) {
        if (s.type !== type || s.numel !== numel) throw new Error(`${op}: storage '${key}' is referred to as both ${s.type.name} of ${s.numel} and ${type.name} of ${numel} elements; the file is corrupt`);
        return s;
      }
      const entry = entries.get(`${prefix}data/${key}`);
      if (!entry) throw new Error(`${op}: the pickle refers to storage '${key}' but the archive has no entry '${prefix}data/${key}'; the file is truncated or corrupt`);
      if (entry.data.length !== numel * type.itemsize) {
        throw new Error(
          `${op}: storage '${key}' is declared as ${numel} elements of ${type.name} (${numel * type.itemsize} bytes) but its entry has ${entry.data.length} bytes; the file is corrupt`,
        );
      }
      s = new Storage(type, key, numel);
      s.bytes = verify(entry);
      storages.set(key, s);
      return s;
    },
  };
  const { value, end } = unpickle(op, verify(pkl), 0, hooks);
  if (end !== pkl.data.length) throw new Error(`${op}: '${pkl.name}' has ${pkl.data.length - end} bytes after the pickle's STOP; the file is corrupt`);
  return { value, storages };
}

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

function parseLegacy(op: string, bytes: Uint8Array): Parsed {
  const findGlobal = allowedGlobals(op);
  const noPersist: UnpickleHooks = {
    findGlobal,
    persistentLoad: () => {
      throw new Error(`${op}: a persistent id in the header of the legacy format; the file is corrupt`);
    },
  };
  const magic = unpickle(op, bytes, 0, noPersist);
  if (magic.value !== LEGACY_MAGIC && magic.value !== Number(LEGACY_MAGIC)) {
    throw new Error(
      `${op}: the file starts with a pickle of ${show(magic.value)} instead of PyTorch's magic number 0x1950a86a20f9469cfc6c; ` +
        'expected a file written by torch.save (a ZIP archive, or the legacy format of PyTorch < 1.6)',
    );
  }
  const version = unpickle(op, bytes, magic.end, noPersist);
  if (version.value !== 1001) throw new Error(`${op}: the legacy file has protocol version ${show(version.value)}; expected 1001`);
  const info = unpickle(op, bytes, version.end, noPersist);
  if (isDict(info.value) && info.value.little_endian === false) {
    throw new Error(`${op}: the file was saved on a big-endian machine, which is not supported; re-save it on a little-endian one`);
  }
  const storages = new Map<string, Storage>();
  const hooks: UnpickleHooks = {
    findGlobal,
    persistentLoad(pid) {
      const { type, key, numel, view } = parseStoragePid(op, pid, true);
      let s = storages.get(key);
      if (!s) {
        s = new Storage(type, key, numel);
        storages.set(key, s);
      } else if (s.type !== type || s.numel !== numel) {
        throw new Error(`${op}: storage '${key}' is referred to as both ${s.type.name} of ${s.numel} and ${type.name} of ${numel} elements; the file is corrupt`);
      }
      if (view === null || view === undefined) return s;
      // a view of the storage (PyTorch < 0.4): (view key, element offset, element count)
      if (!Array.isArray(view) || view.length !== 3 || !isIndex(view[1]) || !isIndex(view[2]) || (typeof view[0] !== 'string' && !isIndex(view[0]))) {
        throw new Error(`${op}: storage '${key}' has the view metadata ${show(view)}; expected (key, offset, size); the file is corrupt`);
      }
      const [viewKey, at, count] = view as [string, number, number];
      if (at + count > numel) throw new Error(`${op}: a view of storage '${key}' covers elements [${at}, ${at + count}) of its ${numel}; the file is corrupt`);
      let v = storages.get(`view:${String(viewKey)}`);
      if (!v) {
        v = new Storage(type, String(viewKey), count);
        v.root = s;
        v.rootOffset = at;
        storages.set(`view:${String(viewKey)}`, v);
      }
      return v;
    },
  };
  const obj = unpickle(op, bytes, info.end, hooks);
  const keys = unpickle(op, bytes, obj.end, noPersist);
  if (!Array.isArray(keys.value)) throw new Error(`${op}: expected the list of storage keys after the object, got ${show(keys.value)}; the file is corrupt`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = keys.end;
  for (const raw of keys.value) {
    const key = String(raw);
    const s = storages.get(key);
    if (!s || s.root) throw new Error(`${op}: the storage list names '${key}', which no tensor refers to; the file is corrupt`);
    if (p + 8 > bytes.length) throw new Error(`${op}: the data of storage '${key}' is missing (the file ends at byte ${bytes.length}); the file is truncated`);
    const count = view.getBigInt64(p, true);
    if (count !== BigInt(s.numel)) {
      throw new Error(`${op}: storage '${key}' is declared as ${s.numel} elements but its data says ${count}; the file is corrupt`);
    }
    p += 8;
    const size = s.numel * s.type.itemsize;
    if (p + size > bytes.length) {
      throw new Error(`${op}: storage '${key}' needs ${size} bytes at byte ${p} but the file ends at byte ${bytes.length}; the file is truncated`);
    }
    s.bytes = bytes.subarray(p, p + size);
    p += size;
  }
  for (const s of storages.values()) {
    if (!s.root && !s.bytes) throw new Error(`${op}: storage '${s.key}' is referred to but its data is not in the file; the file is truncated or corrupt`);
  }
  return { value: obj.value, storages };
}

function parse(op: string, bytes: Uint8Array): Parsed {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return parseZip(op, bytes);
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] >= 2) return parseLegacy(op, bytes);
  if (bytes.length >= 262 && new TextDecoder('latin1').decode(bytes.subarray(257, 262)) === 'ustar') {
    throw new Error(
      `${op}: the file is a TAR archive, the format of PyTorch < 0.1.10 (the oldest torchvision weights), which is not supported; ` +
        'load it in Python and re-save it with torch.save(torch.load(path), new_path)',
    );
  }
  if (bytes.length > 8 && bytes[8] === 0x7b && bytes[6] === 0 && bytes[7] === 0) {
    throw new Error(`${op}: the file is a safetensors file (an 8-byte header length, then '{'), not a torch.save file; read it with loadSafetensors`);
  }
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `${op}: the file starts with the bytes ${head || '(none: it is empty)'}, which is neither a ZIP archive (torch.save, PyTorch ≥ 1.6: 50 4b 03 04) ` +
      'nor the legacy format (a pickle: 80 02 8a 0a …); expected a file written by torch.save',
  );
}

/** How deep dicts and lists may nest (the tree is walked recursively). */
const MAX_DEPTH = 1000;

/** Replaces every TensorRef in the object tree by a Tensor (one per TensorRef); cycles are refused. */
function resolve(op: string, parsed: Parsed, backend: string | undefined, fileBytes: number): { value: TorchValue; made: Tensor[] } {
  const made: Tensor[] = [];
  // Tensors are copies, so views that repeat a storage's elements (stride 0, as `expand` makes)
  // can need more memory than the file holds: allow 16x the file plus 256 MiB at most, checked
  // before anything is allocated, so that a small hostile file cannot exhaust memory.
  const budget = 16 * fileBytes + 2 ** 28;
  let used = 0;
  const tensors = new Map<TensorRef, Tensor>();
  const active = new Set<object>();
  const done = new Set<object>();
  const walk = (v: unknown, path: string, depth = 0): unknown => {
    if (v instanceof TensorRef) {
      let t = tensors.get(v);
      if (!t) {
        const bytes = v.size.reduce((a, b) => a * b, 1) * (v.storage.type.dtype === 'float64' ? 8 : v.storage.type.dtype === 'bool' ? 1 : 4);
        used += bytes;
        if (used > budget) {
          throw new RangeError(
            `${op}: ${path || 'the tensor'} of size (${v.size.join(', ')}) brings the loaded tensors to ${used} bytes, more than ${budget} ` +
              `(16 times the ${fileBytes}-byte file plus 256 MiB): the file's tensors repeat their storages' elements (stride 0) beyond what a checkpoint needs; ` +
              'the file is corrupt or hostile (in PyTorch, save .contiguous() copies of such views)',
          );
        }
        const { data, shape } = materialize(op, path || 'the tensor', v);
        t = fromTypedArray(data, shape, backend === undefined ? {} : { backend });
        made.push(t);
        tensors.set(v, t);
      }
      return t;
    }
    if (v instanceof Storage) throw new Error(`${op}: ${path || 'the file'} holds a bare storage, not a tensor; tensorgrad loads tensors only`);
    if (typeof v === 'object' && v !== null && 'module' in v && 'name' in v && !(v instanceof Uint8Array)) {
      const g = v as PyGlobal;
      throw new Error(`${op}: ${path || 'the file'} holds the Python object '${g.module}.${g.name}' itself; expected tensors, dicts, lists and primitives`);
    }
    if (Array.isArray(v) || isDict(v)) {
      if (active.has(v)) throw new Error(`${op}: ${path || 'the object'} contains itself (a cycle), which a state dict never does; the file is corrupt`);
      if (done.has(v)) return v;
      if (depth >= MAX_DEPTH) {
        throw new Error(`${op}: the file's object is nested more than ${MAX_DEPTH} levels deep (at ${path}); checkpoints nest a few levels; the file is corrupt or hostile`);
      }
      active.add(v);
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) v[i] = walk(v[i], `${path}[${i}]`, depth + 1);
      else for (const k of Object.keys(v)) v[k] = walk(v[k], path ? `${path}[${JSON.stringify(k)}]` : JSON.stringify(k), depth + 1);
      active.delete(v);
      done.add(v);
    }
    return v;
  };
  try {
    return { value: walk(parsed.value, '') as TorchValue, made };
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}

function readOptions(op: string, sig: typeof LOAD_TORCH, args: readonly unknown[]): { f: string | Uint8Array; backend: string | undefined; key: unknown } {
  const a = parseArgs(sig, args);
  const f = a.f;
  if (typeof f !== 'string' && !(f instanceof Uint8Array)) {
    throw new TypeError(`${op}: expected a file path (string) or the file's bytes (Uint8Array), got ${f === null ? 'null' : typeof f}`);
  }
  refuseUnsupported(op, 'weightsOnly', a.weightsOnly, [true], 'tensorgrad never executes code from a file; drop the option');
  for (const k of ['mapLocation', 'backend'] as const) {
    if (a[k] !== undefined && typeof a[k] !== 'string') {
      throw new TypeError(`${op}: expected ${k} to be a backend name (a string such as 'cpu'), got ${typeof a[k]}; a map_location function or dict is not supported`);
    }
  }
  if (a.mapLocation !== undefined && a.backend !== undefined && a.mapLocation !== a.backend) {
    throw new TypeError(`${op}: mapLocation '${String(a.mapLocation)}' and backend '${String(a.backend)}' disagree; pass one of them`);
  }
  return { f, backend: (a.backend ?? a.mapLocation) as string | undefined, key: a.key };
}

async function loadValue(op: string, f: string | Uint8Array, backend: string | undefined): Promise<{ value: TorchValue; made: Tensor[] }> {
  const bytes = typeof f === 'string' ? await readFileBytes(op, f) : f;
  return resolve(op, parse(op, bytes), backend, bytes.length);
}

/**
 * Reads a file written by PyTorch's `torch.save` (a path, in Node, or the file's bytes) and
 * returns its top-level object as it is: tensors in place of PyTorch's tensors, plain objects for
 * dicts and `OrderedDict`s (keys in file order; int keys as decimal strings), arrays for lists
 * and tuples, and primitives (see {@link TorchValue}). Use it for checkpoints that hold more
 * than a state dict (`{ epoch, model, optimizer }`); {@link loadTorch} returns a state dict.
 *
 * Both formats are read: the ZIP archive of PyTorch ≥ 1.6 and the legacy format of PyTorch
 * 0.1.10–1.5 (e.g. torchvision's `vgg16-397923af.pth`). Nothing is executed: the reader knows
 * only tensors, storages, (ordered) dicts, lists, tuples and primitives, like
 * `torch.load(..., weights_only=True)`, and refuses any other Python global with an error naming
 * it. dtypes: float32, float64, int32 and bool load as themselves; int64 (PyTorch's `long`),
 * int16, int8 and uint8 as int32 (an int64 element outside the int32 range is an error);
 * float16 and bfloat16 as float32. Views (storage offset, strides) are honoured; each tensor is
 * a copy (tensors that shared a storage in PyTorch no longer share memory). A tensor referred
 * to twice is the same Tensor object. The caller owns the tensors.
 *
 * @example
 * ```ts
 * import { loadTorchObject, saveTorch } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const w = tensor([[1, 2], [3, 4]]);
 * const bytes = await saveTorch({ w });
 * w.dispose();
 * const obj = (await loadTorchObject(bytes)) as Record<string, import('@tensorgrad/tensor').Tensor>;
 * Object.keys(obj); // ['w']
 * await obj.w!.array(); // [[1, 2], [3, 4]]
 * obj.w!.dispose();
 * ```
 */
export async function loadTorchObject(pathOrBytes: string | Uint8Array, options?: Omit<LoadTorchOptions, 'key'>): Promise<TorchValue>;
export async function loadTorchObject(...args: unknown[]): Promise<TorchValue> {
  const op = 'loadTorchObject';
  const { f, backend } = readOptions(op, LOAD_TORCH_OBJECT as typeof LOAD_TORCH, args);
  return (await loadValue(op, f, backend)).value;
}

function describeKeys(d: PyDict): string {
  const keys = Object.keys(d);
  return keys.length ? keys.slice(0, 8).map((k) => `'${k}'`).join(', ') + (keys.length > 8 ? `, … (${keys.length} keys)` : '') : 'no keys';
}

function isStateDict(v: unknown): v is Record<string, Tensor> {
  return isDict(v) && Object.values(v).every((x) => x instanceof Tensor);
}

/**
 * Reads a PyTorch state dict from a file written by `torch.save` (a path, in Node, or the file's
 * bytes): `Record<string, Tensor>` with PyTorch's key names in file order, ready for
 * `model.loadStateDict(...)`. The file's top-level object must be the state dict (as
 * `torch.save(model.state_dict(), path)` and torchvision's weights files write it); for a
 * checkpoint that nests it, `key` names where it is (`{ key: 'state_dict' }`,
 * `{ key: ['model', 'ema'] }`), and {@link loadTorchObject} returns the whole object.
 *
 * Reads both formats (ZIP, PyTorch ≥ 1.6; legacy, PyTorch 0.1.10–1.5), executes nothing and
 * converts dtypes as {@link loadTorchObject} describes (int64 → int32, float16/bfloat16 →
 * float32, …). A state dict's `_metadata` (module versions) is not kept. Malformed files —
 * truncated, wrong magic, a pickle calling anything but the tensor rebuild functions, a tensor
 * larger than its storage — are refused with an error saying what is wrong. The caller owns the
 * tensors (dispose them, or use `tidy`).
 *
 * @example
 * ```ts
 * import { loadTorch, saveTorch } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const sd = { 'fc.weight': tensor([[0.5, -1]]), 'fc.bias': tensor([2]) };
 * const bytes = await saveTorch(sd);
 * for (const t of Object.values(sd)) t.dispose();
 * const loaded = await loadTorch(bytes, { mapLocation: 'cpu' });
 * Object.keys(loaded); // ['fc.weight', 'fc.bias']
 * await loaded['fc.weight']!.array(); // [[0.5, -1]]
 * for (const t of Object.values(loaded)) t.dispose();
 * ```
 */
export async function loadTorch(pathOrBytes: string | Uint8Array, options?: LoadTorchOptions): Promise<Record<string, Tensor>>;
export async function loadTorch(pathOrBytes: string | Uint8Array, mapLocation?: string, options?: LoadTorchOptions): Promise<Record<string, Tensor>>;
export async function loadTorch(...args: unknown[]): Promise<Record<string, Tensor>> {
  const op = 'loadTorch';
  const { f, backend, key } = readOptions(op, LOAD_TORCH, args);
  let path: string[] = [];
  if (key !== undefined) {
    if (typeof key === 'string') path = [key];
    else if (Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === 'string')) path = [...(key as string[])];
    else throw new TypeError(`${op}: expected key to be a string or a non-empty array of strings, got ${show(key)}`);
  }
  const { value, made } = await loadValue(op, f, backend);
  try {
    let v: unknown = value;
    for (let i = 0; i < path.length; i++) {
      const where = i === 0 ? 'the top-level object' : `[${path.slice(0, i).map((k) => JSON.stringify(k)).join('][')}]`;
      if (!isDict(v)) throw new RangeError(`${op}: key ${JSON.stringify(path)}: ${where} is ${show(v)}, not a dict; use loadTorchObject to see the file's structure`);
      if (!Object.hasOwn(v, path[i]!)) {
        throw new RangeError(`${op}: key ${JSON.stringify(path)}: ${where} has no key '${path[i]}' (it has ${describeKeys(v)}); pass one of those`);
      }
      v = v[path[i]!];
    }
    if (!isStateDict(v)) {
      const where = path.length ? `the entry ${JSON.stringify(path)}` : "the file's top-level object";
      let hint = '';
      if (isDict(v)) {
        const nested = Object.keys(v).filter((k) => isStateDict(v[k]) && Object.keys(v[k] as object).length > 0);
        const other = Object.keys(v).filter((k) => !(v[k] instanceof Tensor));
        hint = nested.length
          ? ` (it has ${describeKeys(v)}); the state dict is probably under ${nested.map((k) => `'${k}'`).join(' or ')}: pass { key: ${JSON.stringify(nested[0])} }`
          : ` (its entries ${other.slice(0, 5).map((k) => `'${k}'`).join(', ')} are not tensors); use loadTorchObject to read it whole`;
      } else hint = ` (it is ${show(v)}); use loadTorchObject to read it whole`;
      throw new TypeError(`${op}: ${where} is not a state dict (a dict of tensors)${hint}`);
    }
    // dispose what is not returned (the rest of a checkpoint)
    const kept = new Set(Object.values(v));
    for (const t of made) if (!kept.has(t)) t.dispose();
    const out: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(v)) Object.defineProperty(out, k, { value: t, enumerable: true, writable: true, configurable: true });
    return out;
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// writing

const WRITE_STORAGE: Readonly<Record<DType, string>> = { float32: 'FloatStorage', float64: 'DoubleStorage', int32: 'IntStorage', bool: 'BoolStorage' };

class PickleWriter {
  private chunks: number[] = [];
  op(code: number): void {
    this.chunks.push(code);
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.chunks.push(x);
  }
  global(module: string, name: string): void {
    this.op(0x63);
    this.bytes(new TextEncoder().encode(`${module}\n${name}\n`));
  }
  str(s: string): void {
    const b = new TextEncoder().encode(s);
    this.op(0x58);
    this.u32(b.length);
    this.bytes(b);
  }
  u32(v: number): void {
    this.chunks.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  int(v: number): void {
    if (v >= 0 && v < 256) this.chunks.push(0x4b, v);
    else if (v >= 0 && v < 65536) this.chunks.push(0x4d, v & 0xff, v >> 8);
    else if (v >= -(2 ** 31) && v < 2 ** 31) {
      this.op(0x4a);
      this.u32(v >>> 0);
    } else {
      // LONG1: little-endian two's complement, as few bytes as hold the sign
      let b = BigInt(v);
      const out: number[] = [];
      do {
        out.push(Number(b & 0xffn));
        b >>= 8n;
      } while (!((b === 0n && !(out[out.length - 1]! & 0x80)) || (b === -1n && out[out.length - 1]! & 0x80)));
      this.chunks.push(0x8a, out.length, ...out);
    }
  }
  tuple(values: readonly number[]): void {
    if (values.length === 0) return this.op(0x29);
    this.op(0x28);
    for (const v of values) this.int(v);
    this.op(0x74);
  }
  result(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function collect(op: string, stateDict: StateDict): Array<[string, Tensor]> {
  if (stateDict === null || typeof stateDict !== 'object' || stateDict instanceof Tensor || Array.isArray(stateDict)) {
    throw new TypeError(`${op}: expected a state dict (a record or Map of name -> Tensor), got ${show(stateDict)}`);
  }
  const items: Array<[string, Tensor]> = [];
  for (const [name, t] of stateDict instanceof Map ? stateDict.entries() : Object.entries(stateDict)) {
    if (typeof name !== 'string') throw new TypeError(`${op}: expected string tensor names, got ${show(name)}; use string keys in the Map`);
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${op}: expected ${JSON.stringify(name)} to be a Tensor, got ${show(t)}; saveTorch writes state dicts (name -> Tensor) only`);
    }
    items.push([name, t]);
  }
  return items;
}

/** The archive's entries: `archive/data.pkl`, one `archive/data/N` per tensor, `version`, `byteorder`. */
async function archiveEntries(op: string, items: Array<[string, Tensor]>): Promise<ZipInput[]> {
  const w = new PickleWriter();
  w.op(0x80);
  w.op(2);
  w.global('collections', 'OrderedDict');
  w.op(0x29);
  w.op(0x52);
  w.op(0x28);
  const keys = new Map<Tensor, string>();
  const data: ZipInput[] = [];
  for (const [name, t] of items) {
    if (t.isDisposed) throw new Error(`${op}: tensor ${JSON.stringify(name)} is disposed; save the state dict before disposing its tensors`);
    let key = keys.get(t);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (key === undefined) {
      key = String(keys.size);
      keys.set(t, key);
      const arr = await t.data();
      let bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
      if (!LITTLE_ENDIAN && arr.BYTES_PER_ELEMENT > 1) {
        bytes = bytes.slice();
        for (let i = 0; i < bytes.length; i += arr.BYTES_PER_ELEMENT) bytes.subarray(i, i + arr.BYTES_PER_ELEMENT).reverse();
      }
      data.push({ name: `archive/data/${key}`, data: bytes });
    }
    w.str(name);
    w.global('torch._utils', '_rebuild_tensor_v2');
    w.op(0x28);
    // the storage: BINPERSID of ('storage', torch.XStorage, key, 'cpu', numel)
    w.op(0x28);
    w.str('storage');
    w.global('torch', WRITE_STORAGE[t.dtype]);
    w.str(key);
    w.str('cpu');
    w.int(numel);
    w.op(0x74);
    w.op(0x51);
    w.int(0); // storage offset
    w.tuple(t.shape);
    const strides: number[] = [];
    for (let d = t.shape.length - 1, s = 1; d >= 0; d--) {
      strides.unshift(s);
      s *= t.shape[d]!;
    }
    w.tuple(strides);
    w.op(0x89); // requires_grad = False
    w.global('collections', 'OrderedDict'); // backward hooks
    w.op(0x29);
    w.op(0x52);
    w.op(0x74);
    w.op(0x52);
  }
  w.op(0x75);
  w.op(0x2e);
  const enc = new TextEncoder();
  return [
    { name: 'archive/data.pkl', data: w.result() },
    { name: 'archive/byteorder', data: enc.encode('little') },
    ...data,
    { name: 'archive/version', data: enc.encode('3\n') },
  ];
}

/**
 * Writes a state dict as PyTorch's `torch.save` does (the ZIP format of PyTorch ≥ 1.6), so that
 * `torch.load` (also with `weights_only=True`) reads it: an `OrderedDict` of tensors in the
 * state dict's order, in `archive/data.pkl` (pickle protocol 2), the data of each tensor in
 * `archive/data/N` (STORED, little-endian, starting at a multiple of 64 bytes as PyTorch writes
 * it), plus `archive/version` and `archive/byteorder`. float32, float64, int32 and bool tensors
 * become `torch.float32`, `float64`, `int32` and `bool` tensors (contiguous, on the CPU); the
 * same Tensor under two names is stored once (shared, as tied weights are in PyTorch).
 *
 * With a `path` (Node only) the file is written atomically: to a temporary file in the same
 * directory, flushed, then renamed over `path`, so an error never leaves a half-written file.
 * Without a path the file's bytes are returned.
 *
 * @example
 * ```ts
 * import { saveTorch } from '@tensorgrad/io';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const w = tensor([1, 2, 3]);
 * const bytes = await saveTorch({ w });
 * w.dispose();
 * [...bytes.subarray(0, 4)]; // [0x50, 0x4b, 0x03, 0x04]
 * ```
 */
export function saveTorch(stateDict: StateDict, path?: undefined): Promise<Uint8Array>;
export function saveTorch(stateDict: StateDict, path: string): Promise<void>;
export async function saveTorch(stateDict: StateDict, path?: string, ...rest: unknown[]): Promise<Uint8Array | void> {
  const op = 'saveTorch';
  if (rest.length) throw new TypeError(`${op}: takes 2 arguments (stateDict, path) but ${2 + rest.length} were given`);
  if (path !== undefined && typeof path !== 'string') {
    throw new TypeError(`${op}: expected a file path (string) or undefined (to get the bytes), got ${show(path)}`);
  }
  const entries = await archiveEntries(op, collect(op, stateDict));
  if (path === undefined) {
    const parts: Uint8Array[] = [];
    await writeZip(entries, async (c) => {
      parts.push(c);
    });
    const out = new Uint8Array(parts.reduce((a, c) => a + c.length, 0));
    let at = 0;
    for (const c of parts) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
  await atomicWrite(op, path, (write) => writeZip(entries, write));
}
