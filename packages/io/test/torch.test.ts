// loadTorch / loadTorchObject / saveTorch: files written by Debian's PyTorch 1.13.1 (committed in
// test/fixtures/, made by scripts/fixtures/tgfixtures/torch_pth.py, with PyTorch's values in
// packages/conformance/fixtures/generated/pth.json), hostile files (truncated at every byte,
// corrupted, hand-crafted pickles), and round trips through PyTorch itself (/usr/bin/python3,
// skipped with the reason when it cannot import torch).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { tensor, Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { useTestEnv } from './test-env.js';
import { loadTorch, loadTorchObject, saveTorch, type TorchValue } from '@tensorgrad/io';
import { crc32, readZip, writeZip } from '../src/zip.js';

const tmp = useTestEnv('tensorgrad-pth-');
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const EXPECTED = fileURLToPath(new URL('../../conformance/fixtures/generated/pth.json', import.meta.url));

interface GoldenTensor {
  shape: number[];
  dtype: 'float32' | 'float64' | 'int32' | 'bool';
  data: Array<number | boolean | string>;
}
interface PthCase {
  id: string;
  file: string;
  format: 'zip' | 'legacy';
  code: string;
  tensors?: Record<string, GoldenTensor>;
  hostile?: boolean;
  refuses?: string;
}
const CASES = (JSON.parse(readFileSync(EXPECTED, 'utf8')) as { cases: PthCase[] }).cases;
const byFile = new Map(CASES.map((c) => [c.file, c]));
const fixture = (file: string): Promise<Uint8Array> => readFile(join(FIXTURES, file)).then((b) => new Uint8Array(b));

const PYTHON = '/usr/bin/python3';
const torchProbe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
const NO_TORCH = torchProbe.status === 0 ? '' : `${PYTHON} cannot import torch/torchvision (${(torchProbe.stderr || String(torchProbe.error)).trim().split('\n').pop()}); scripts/ensure-torch.sh installs them`;
if (NO_TORCH) console.warn(`skipping the PyTorch cross-checks: ${NO_TORCH}`);

function python(code: string, ...args: string[]): string {
  const r = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

function golden(t: GoldenTensor): unknown[] {
  const data = t.data.map((v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v));
  return t.dtype === 'float32' ? Array.from(Float32Array.from(data as number[])) : data;
}

function values(t: Tensor): unknown[] {
  const d = t.dataSync();
  return t.dtype === 'bool' ? Array.from(d, (v) => v !== 0) : Array.from(d);
}

/** Every tensor of a loaded object by its '/'-joined key path, in order (as the generator flattens). */
function flatten(v: TorchValue, prefix = '', out = new Map<string, Tensor>()): Map<string, Tensor> {
  if (v instanceof Tensor) out.set(prefix, v);
  else if (Array.isArray(v)) v.forEach((x, i) => flatten(x, prefix ? `${prefix}/${i}` : String(i), out));
  else if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}/${k}` : k, out);
  }
  return out;
}

function disposeAll(ts: Iterable<Tensor>): void {
  for (const t of new Set(ts)) t.dispose();
}

function expectMatches(loaded: Map<string, Tensor>, expected: Record<string, GoldenTensor>, what: string): void {
  expect([...loaded.keys()], what).toEqual(Object.keys(expected));
  for (const [k, g] of Object.entries(expected)) {
    const t = loaded.get(k)!;
    expect(t.dtype, `${what} ${k}`).toBe(g.dtype);
    expect(t.shape, `${what} ${k}`).toEqual(g.shape);
    expect(values(t), `${what} ${k}`).toEqual(golden(g));
  }
}

async function message(p: Promise<unknown>): Promise<string> {
  try {
    const v = await p;
    disposeAll(flatten(v as TorchValue).values());
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  return '';
}

describe('files written by PyTorch 1.13.1', () => {
  const good = CASES.filter((c) => !c.hostile);

  it('the fixture list covers both formats, every dtype and the hostile files', () => {
    expect(good.map((c) => c.file)).toEqual([
      'dtypes.pth', 'dtypes-legacy.pth', 'views.pth', 'views-legacy.pth', 'sequential.pth', 'sequential-legacy.pth',
      'sequential-protocol4.pth', 'checkpoint.pth',
    ]);
    expect(Object.keys(byFile.get('dtypes.pth')!.tensors!)).toEqual([
      'float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'scalar', 'empty',
    ]);
    expect(CASES.filter((c) => c.hostile).map((c) => c.file)).toEqual(['evil-system.pth', 'evil-eval.pth', 'evil-eval-protocol4.pth', 'evil-system-legacy.pth']);
  });

  for (const c of good) {
    it(`${c.file} (${c.format}): every tensor, in file order, with PyTorch's values`, async () => {
      const obj = await loadTorchObject(await fixture(c.file));
      const flat = flatten(obj);
      expectMatches(flat, c.tensors!, c.file);
      disposeAll(flat.values());
    });
  }

  it('loads the dtypes as documented: int64/int16/int8/uint8 → int32, float16/bfloat16 → float32', async () => {
    const sd = await loadTorch(await fixture('dtypes.pth'));
    const dtypes = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.dtype]));
    expect(dtypes).toEqual({
      float32: 'float32', float64: 'float64', float16: 'float32', bfloat16: 'float32', int64: 'int32', int32: 'int32', int16: 'int32',
      int8: 'int32', uint8: 'int32', bool: 'bool', scalar: 'float32', empty: 'float32',
    });
    // independent of the fixture: values written literally in the generator
    expect(sd.int64!.arraySync()).toEqual([[0, -1], [2147483647, -2147483648]]);
    expect(sd.float16!.arraySync()).toEqual([0.5, -1.5, 65504, 5.960464477539063e-8, 0.0010004043579101562]);
    expect(sd.uint8!.arraySync()).toEqual([0, 255, 128]);
    expect(sd.scalar!.shape).toEqual([]);
    expect(sd.empty!.shape).toEqual([0, 4]);
    disposeAll(Object.values(sd));
  });

  it('honours storage offsets and strides of views that share one storage', async () => {
    for (const file of ['views.pth', 'views-legacy.pth']) {
      const sd = await loadTorch(await fixture(file));
      const base = Array.from({ length: 24 }, (_, i) => i);
      expect(sd.transposed!.arraySync(), file).toEqual([0, 1, 2, 3, 4, 5].map((j) => [0, 1, 2, 3].map((i) => base[i * 6 + j])));
      expect(sd.block!.arraySync(), file).toEqual([[8, 9, 10], [14, 15, 16]]);
      expect(sd.column!.arraySync(), file).toEqual([1, 7, 13, 19]);
      expect(sd.strided!.arraySync(), file).toEqual([[0, 3], [12, 15]]);
      expect(sd.expanded!.arraySync(), file).toEqual([[0, 1], [0, 1], [0, 1]]);
      expect(sd.tail!.arraySync(), file).toEqual([20, 21, 22, 23]);
      expect(sd.long_view!.arraySync(), file).toEqual([3000, 5000, 7000]);
      disposeAll(Object.values(sd));
    }
  });

  it('a BatchNorm state dict keeps num_batches_tracked (int64 → int32) and PyTorch key order', async () => {
    for (const file of ['sequential.pth', 'sequential-legacy.pth', 'sequential-protocol4.pth']) {
      const sd = await loadTorch(await fixture(file), 'cpu');
      expect(Object.keys(sd), file).toEqual([
        '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked', '4.weight', '4.bias',
      ]);
      expect(sd['1.num_batches_tracked']!.dtype).toBe('int32');
      expect(sd['1.num_batches_tracked']!.arraySync()).toBe(1);
      expect(sd['0.weight']!.backend).toBe('cpu');
      disposeAll(Object.values(sd));
    }
  });

  it('a nested checkpoint: loadTorchObject returns it whole, loadTorch picks the state dict by key', async () => {
    const bytes = await fixture('checkpoint.pth');
    const obj = (await loadTorchObject(bytes)) as Record<string, TorchValue>;
    expect(Object.keys(obj)).toEqual(['epoch', 'state_dict', 'optimizer', 'loss', 'name', 'best', 'shape', 'big']);
    expect([obj.epoch, obj.loss, obj.name, obj.best, obj.shape, obj.big]).toEqual([3, 0.25, 'résumé', null, [2, 3], 2 ** 40]);
    const optimizer = obj.optimizer as { state: Record<string, { momentum_buffer: Tensor }>; param_groups: unknown[] };
    expect(Object.keys(optimizer.state)).toEqual(['0']);
    expect(optimizer.state['0']!.momentum_buffer.arraySync()).toEqual([1, 1]);
    expect(optimizer.param_groups).toEqual([{ lr: 0.1, momentum: 0.9, nesterov: false, params: [0, 1] }]);
    disposeAll(flatten(obj).values());

    const sd = await loadTorch(bytes, { key: 'state_dict' });
    expect(Object.keys(sd)).toHaveLength(9);
    disposeAll(Object.values(sd));
    const nested = await loadTorch(bytes, { key: ['optimizer', 'state', '0'] });
    expect(Object.keys(nested)).toEqual(['momentum_buffer']);
    disposeAll(Object.values(nested));

    await expect(loadTorch(bytes)).rejects.toThrow(
      /loadTorch: the file's top-level object is not a state dict \(a dict of tensors\) \(it has 'epoch', 'state_dict', .*\); the state dict is probably under 'state_dict': pass \{ key: "state_dict" \}/,
    );
    await expect(loadTorch(bytes, { key: 'model' })).rejects.toThrow(/the top-level object has no key 'model' \(it has 'epoch', 'state_dict'/);
    await expect(loadTorch(bytes, { key: 'epoch' })).rejects.toThrow(/the entry \["epoch"\] is not a state dict/);
  });

  it('refuses pickles that call os.system or eval, naming the global, without running anything', async () => {
    for (const c of CASES.filter((x) => x.hostile)) {
      const m = await message(loadTorchObject(await fixture(c.file)));
      expect(m, c.file).toContain(`the file's pickle refers to the global '${c.refuses}', which is not allowed`);
      expect(m, c.file).toContain('weights_only=True');
    }
  });
});

describe('options', () => {
  it('refuses unknown keys (naming the nearest), weightsOnly: false, map_location functions and extra arguments', async () => {
    const bytes = await fixture('sequential.pth');
    await expect(loadTorch(bytes, { map_location: 'cpu' } as never)).rejects.toThrow(/loadTorch: unknown option 'map_location'; did you mean 'mapLocation'\?/);
    await expect(loadTorch(bytes, { device: 'cpu' } as never)).rejects.toThrow(/did you mean 'backend'/);
    await expect(loadTorch(bytes, { weightsOnly: false })).rejects.toThrow(/weightsOnly = false is not supported/);
    await expect(loadTorch(bytes, { mapLocation: (() => 'cpu') as never })).rejects.toThrow(/expected mapLocation to be a backend name/);
    await expect(loadTorch(bytes, { pickleModule: {} } as never)).rejects.toThrow(/pickle_module.*not supported/);
    await expect(loadTorch(bytes, { mapLocation: 'cpu', backend: 'webgpu' })).rejects.toThrow(/disagree/);
    await expect(loadTorch(42 as never)).rejects.toThrow(/expected a file path \(string\) or the file's bytes \(Uint8Array\), got number/);
    await expect(loadTorch(bytes, { key: 3 as never })).rejects.toThrow(/expected key to be a string/);
    const sd = await loadTorch(bytes, { weightsOnly: true, backend: 'cpu' });
    disposeAll(Object.values(sd));
    await expect((saveTorch as (...a: unknown[]) => Promise<unknown>)({}, 'x', {})).rejects.toThrow(/saveTorch: takes 2 arguments/);
    await expect(saveTorch({ a: 1 } as never)).rejects.toThrow(/expected "a" to be a Tensor, got number 1/);
    const one = tensor([1]);
    await expect(saveTorch(one as never)).rejects.toThrow(/expected a state dict/);
    one.dispose();
  });

  it('reads a path', async () => {
    const sd = await loadTorch(join(FIXTURES, 'sequential.pth'));
    expect(Object.keys(sd)).toHaveLength(9);
    disposeAll(Object.values(sd));
  });
});

// ---- hand-made hostile files ------------------------------------------------------------------

/** A tiny pickle assembler, independent of the writer: opcodes and their arguments as bytes. */
const P = {
  proto: [0x80, 2],
  mark: [0x28],
  stop: [0x2e],
  tuple: [0x74],
  emptyTuple: [0x29],
  reduce: [0x52],
  binpersid: [0x51],
  setitems: [0x75],
  append: [0x61],
  emptyList: [0x5d],
  binput: (i: number) => [0x71, i],
  binget: (i: number) => [0x68, i],
  global: (m: string, n: string) => [0x63, ...new TextEncoder().encode(`${m}\n${n}\n`)],
  str: (s: string) => {
    const b = new TextEncoder().encode(s);
    return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b];
  },
  int: (v: number) => [0x4a, ...new Uint8Array(new Int32Array([v]).buffer)],
  long1: (v: bigint) => {
    const out: number[] = [];
    for (let i = 0; i < 8; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
    return [0x8a, 8, ...out];
  },
  ints: (vs: Array<number | number[]>) => [0x28, ...vs.flatMap((v) => (typeof v === 'number' ? P.int(v) : v)), 0x74],
};

/** A pickle of { name: _rebuild_tensor_v2(storage pid, offset, size, stride, False, OrderedDict()) }. */
function tensorPickle(t: { name?: string; storage?: string; key?: string; numel?: number | number[]; offset?: number; size: Array<number | number[]>; stride: Array<number | number[]> }): number[] {
  return [
    ...P.proto, ...P.global('collections', 'OrderedDict'), ...P.emptyTuple, ...P.reduce, ...P.mark,
    ...P.str(t.name ?? 'w'), ...P.global('torch._utils', '_rebuild_tensor_v2'), ...P.mark,
    ...P.mark, ...P.str('storage'), ...P.global('torch', t.storage ?? 'FloatStorage'), ...P.str(t.key ?? '0'), ...P.str('cpu'),
    ...(typeof t.numel === 'object' ? t.numel : P.int(t.numel ?? 4)), ...P.tuple, ...P.binpersid,
    ...P.int(t.offset ?? 0), ...P.ints(t.size), ...P.ints(t.stride), 0x89, ...P.global('collections', 'OrderedDict'), ...P.emptyTuple, ...P.reduce,
    ...P.tuple, ...P.reduce, ...P.setitems, ...P.stop,
  ];
}

async function zipOf(entries: Array<[string, number[] | Uint8Array]>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  await writeZip(entries.map(([name, data]) => ({ name, data: Uint8Array.from(data) })), async (c) => {
    parts.push(c.slice());
  });
  const out = new Uint8Array(parts.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of parts) (out.set(c, at), (at += c.length));
  return out;
}

const floats = (n: number): Uint8Array => new Uint8Array(Float32Array.from({ length: n }, (_, i) => i + 0.5).buffer);

describe('hostile and malformed files', () => {
  it('a hand-made archive loads (the assembler is right), then each corruption of it is refused', async () => {
    const ok = await zipOf([['a/data.pkl', tensorPickle({ size: [2, 2], stride: [2, 1] })], ['a/data/0', floats(4)]]);
    const sd = await loadTorch(ok);
    expect(sd.w!.arraySync()).toEqual([[0.5, 1.5], [2.5, 3.5]]);
    disposeAll(Object.values(sd));

    const cases: Array<[string, Parameters<typeof tensorPickle>[0], Uint8Array, RegExp]> = [
      ['tensor larger than its storage', { size: [100], stride: [1] }, floats(4), /reads up to element 99 of storage '0', which has only 4 elements; .*a tensor larger than its storage/],
      ['stride past the storage', { size: [2, 2], stride: [3, 1] }, floats(4), /reads up to element 4 of storage '0', which has only 4 elements/],
      ['offset past the storage', { size: [2], stride: [1], offset: 3 }, floats(4), /storage offset 3 reads up to element 4/],
      ['negative size', { size: [-1, 4], stride: [4, 1] }, floats(4), /has the size \(-1, 4\); expected a tuple of non-negative integers/],
      ['negative stride', { size: [2], stride: [-1] }, floats(4), /has the stride \(-1\); expected one non-negative integer per dimension/],
      ['huge size', { size: [[...P.long1(2n ** 40n)], [...P.long1(2n ** 40n)]], stride: [1, 1] }, floats(4), /reads up to element \d+ of storage '0', which has only 4 elements/],
      ['huge declared storage', { numel: [...P.long1(2n ** 50n)], size: [4], stride: [1] }, floats(4), /storage '0' is declared as 1125899906842624 elements of FloatStorage .* but its entry has 16 bytes/],
      ['missing storage', { key: '7', size: [4], stride: [1] }, floats(4), /refers to storage '7' but the archive has no entry 'a\/data\/7'/],
      ['storage size mismatch', { size: [4], stride: [1] }, floats(3), /declared as 4 elements of FloatStorage \(16 bytes\) but its entry has 12 bytes/],
      ['complex storage', { storage: 'ComplexFloatStorage', size: [1], stride: [1] }, floats(4), /torch.ComplexFloatStorage \(complex or quantized tensors\)/],
      ['unknown storage', { storage: 'EvilStorage', size: [1], stride: [1] }, floats(4), /global 'torch.EvilStorage', which is not allowed/],
      ['rank mismatch', { size: [2, 2], stride: [1] }, floats(4), /expected one non-negative integer per dimension/],
    ];
    for (const [what, spec, data, error] of cases) {
      const file = await zipOf([['a/data.pkl', tensorPickle(spec)], ['a/data/0', data]]);
      await expect(loadTorch(file), what).rejects.toThrow(error);
    }
  });

  it('refuses views that repeat a tiny storage into more memory than the file could need (checked before allocating)', async () => {
    const file = await zipOf([['a/data.pkl', tensorPickle({ numel: 1, size: [32768, 32768], stride: [0, 0] })], ['a/data/0', floats(1)]]);
    await expect(loadTorch(file)).rejects.toThrow(/"w" of size \(32768, 32768\) brings the loaded tensors to 4294967296 bytes, more than \d+ \(16 times the \d+-byte file plus 256 MiB\)/);
    // an expanded view within the budget loads, repeated
    const small = await zipOf([['a/data.pkl', tensorPickle({ numel: 2, size: [3, 2], stride: [0, 1] })], ['a/data/0', floats(2)]]);
    const sd = await loadTorch(small);
    expect(sd.w!.arraySync()).toEqual([[0.5, 1.5], [0.5, 1.5], [0.5, 1.5]]);
    disposeAll(Object.values(sd));
  });

  it('the legacy format of PyTorch < 0.4: _rebuild_tensor over a storage view (hand-made, as torch 1.13 no longer writes it)', async () => {
    const pickle = (...ops: number[][]): number[] => [...P.proto, ...ops.flat(), ...P.stop];
    const magic = [0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
    const legacy = (storageCount: bigint, data: Uint8Array, global = P.global('torch._utils', '_rebuild_tensor'), keys = ['root']): Uint8Array => {
      const head = [
        ...pickle(magic),
        ...pickle([0x4d, 0xe9, 0x03]),
        ...pickle([0x7d], P.str('little_endian'), [0x88], [0x73]),
        ...pickle(
          [0x7d], P.str('w'), global, P.mark,
          P.mark, P.str('storage'), P.global('torch', 'FloatStorage'), P.str('root'), P.str('cpu'), P.int(6),
          P.mark, P.str('view1'), P.int(2), P.int(4), P.tuple, P.tuple, P.binpersid,
          P.int(1), P.ints([3]), P.ints([1]), P.tuple, P.reduce, [0x73],
        ),
        ...pickle(P.emptyList, ...keys.map((k) => [...P.str(k), ...P.append])),
      ];
      const count = new Uint8Array(new BigInt64Array([storageCount]).buffer);
      return Uint8Array.from([...head, ...count, ...data]);
    };
    const sd = await loadTorch(legacy(6n, floats(6)));
    // the view starts at element 2 of the root storage, the tensor at element 1 of the view
    expect(sd.w!.arraySync()).toEqual([3.5, 4.5, 5.5]);
    disposeAll(Object.values(sd));
    await expect(loadTorch(legacy(5n, floats(6)))).rejects.toThrow(/storage 'root' is declared as 6 elements but its data says 5/);
    await expect(loadTorch(legacy(6n, floats(5)))).rejects.toThrow(/storage 'root' needs 24 bytes at byte \d+ but the file ends at byte \d+; the file is truncated/);
    await expect(loadTorch(legacy(6n, floats(6), undefined, []))).rejects.toThrow(/storage 'root' is referred to but its data is not in the file/);
    await expect(loadTorch(legacy(6n, floats(6), undefined, ['other']))).rejects.toThrow(/the storage list names 'other', which no tensor refers to/);
    await expect(loadTorch(legacy(6n, floats(6), P.global('torch', 'load')))).rejects.toThrow(/global 'torch.load', which is not allowed/);
  });

  it('an int64 element outside int32 is a RangeError naming the tensor and the value', async () => {
    const data = new Uint8Array(new BigInt64Array([1n, 2n ** 31n]).buffer);
    const file = await zipOf([['a/data.pkl', tensorPickle({ storage: 'LongStorage', numel: 2, size: [2], stride: [1] })], ['a/data/0', data]]);
    await expect(loadTorch(file)).rejects.toThrow(/"w" is an int64 tensor, read as int32, but its element 1 is 2147483648, outside the int32 range/);
  });

  it('refuses pickles with other globals, opcodes and structures', async () => {
    const pkl = (...ops: number[][]): Promise<Uint8Array> => zipOf([['a/data.pkl', [...P.proto, ...ops.flat(), ...P.stop]]]);
    const cases: Array<[string, Promise<Uint8Array>, RegExp]> = [
      ['subprocess', pkl(P.global('subprocess', 'Popen')), /global 'subprocess.Popen', which is not allowed/],
      ['STACK_GLOBAL builtins.exec', pkl(P.str('builtins'), P.str('exec'), [0x93]), /global 'builtins.exec', which is not allowed/],
      ['calling a storage type', pkl(P.global('torch', 'FloatStorage'), P.emptyTuple, P.reduce), /REDUCE calls something that is not an allowed callable \('torch.FloatStorage' cannot be called\)/],
      ['REDUCE of a string', pkl(P.str('x'), P.emptyTuple, P.reduce), /REDUCE calls something that is not an allowed callable/],
      ['BUILD on a list', pkl(P.emptyList, P.emptyList, [0x62]), /BUILD .* takes no state/],
      ['NEWOBJ', pkl(P.global('collections', 'OrderedDict'), P.emptyTuple, [0x81]), /opcode NEWOBJ \(0x81\) is not supported/],
      ['not an opcode', pkl([0xff]), /0xff is not a pickle opcode/],
      ['unknown memo', pkl(P.binget(5)), /memo entry 5 is read before it was written/],
      ['empty stack', pkl(P.tuple), /TUPLE found no MARK/],
      ['two values at STOP', pkl(P.emptyList, P.emptyList), /STOP with 2 values on the stack/],
      ['a cycle', pkl(P.emptyList, P.binput(0), P.binget(0), P.append), /contains itself \(a cycle\)/],
      ['a tuple dict key', pkl([0x7d], P.emptyTuple, P.str('v'), [0x73]), /dict key tuple; expected str or int keys/],
      ['a bare storage', pkl(P.mark, P.str('storage'), P.global('torch', 'FloatStorage'), P.str('0'), P.str('cpu'), P.int(0), P.tuple, P.binpersid), /refers to storage '0' but the archive has no entry/],
      ['a bad persistent id', pkl(P.str('x'), P.binpersid), /persistent id "x"; expected \('storage', storage type, key, location, size\)/],
      ['a huge string', pkl([0x58, 0xff, 0xff, 0xff, 0x7f]), /BINUNICODE needs 2147483647 bytes but only \d+ remain: the file is truncated/],
      ['deep nesting', pkl(...Array.from({ length: 5000 }, () => P.emptyList), ...Array.from({ length: 4999 }, () => P.append)), /nested more than 1000 levels deep/],
      ['OrderedDict with arguments', pkl(P.global('collections', 'OrderedDict'), P.mark, P.int(1), P.int(2), P.tuple, P.reduce), /OrderedDict is called with 2 arguments/],
    ];
    for (const [what, file, error] of cases) {
      expect(await message(loadTorchObject(await file)), what).toMatch(error);
    }
  });

  it('refuses wrong magic numbers, other formats and zip entries outside the file', async () => {
    const good = await fixture('sequential.pth');
    const legacy = await fixture('sequential-legacy.pth');
    const wrongMagic = legacy.slice();
    wrongMagic[5] ^= 0xff; // inside the LONG1 magic number
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode('ustar'), 257);
    const cd = good.slice();
    const v = new DataView(cd.buffer);
    // the first central directory entry's local header offset → far outside the file
    const eocd = cd.length - 22;
    const cdOffset = Number(v.getBigUint64(cd.length - 22 - 20 - 56 + 48, true));
    v.setUint32(cdOffset + 42, 0x7fffffff, true);
    const sizeOut = good.slice();
    new DataView(sizeOut.buffer).setUint32(cdOffset + 20, 0x7ffffff0, true);
    new DataView(sizeOut.buffer).setUint32(cdOffset + 24, 0x7ffffff0, true);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['empty', new Uint8Array(0), /starts with the bytes \(none: it is empty\), which is neither a ZIP archive/],
      ['text', new TextEncoder().encode('hello world'), /starts with the bytes 68 65 6c 6c 6f 20 77 6f, which is neither a ZIP archive/],
      ['safetensors', new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20]), /the file is a safetensors file .*; read it with loadSafetensors/],
      ['wrong legacy magic', wrongMagic, /instead of PyTorch's magic number 0x1950a86a20f9469cfc6c/],
      ['tar', tar, /a TAR archive, the format of PyTorch < 0.1.10/],
      ['local header outside', cd, /entry 'sequential\/data.pkl' points to a local header at byte 2147483647/],
      ['data outside', sizeOut, /the data of entry 'sequential\/data.pkl' \(\[\d+, \d+\)\) reaches past the data area/],
      ['no end record', good.subarray(0, eocd - 10), /found no end-of-central-directory record/],
    ];
    for (const [what, bytes, error] of cases) {
      await expect(loadTorch(bytes), what).rejects.toThrow(error);
    }
    // a compressed entry (zip -9) is refused, naming it
    const compressed = good.slice();
    new DataView(compressed.buffer).setUint16(cdOffset + 10, 8, true);
    await expect(loadTorch(compressed)).rejects.toThrow(/entry 'sequential\/data.pkl' of the ZIP archive is compressed \(method 8\)/);
  });

  it('every truncation of a ZIP and a legacy file is a clear error, never a hang or crash', async () => {
    for (const file of ['sequential.pth', 'sequential-legacy.pth', 'dtypes-legacy.pth']) {
      const bytes = await fixture(file);
      for (let cut = 0; cut < bytes.length; cut++) {
        const m = await message(loadTorchObject(bytes.subarray(0, cut)));
        expect(m, `${file} cut at ${cut}`).toMatch(/^loadTorchObject: /);
      }
    }
  });

  it('every single-byte corruption either loads or is refused with a loadTorch error (never a crash)', async () => {
    for (const file of ['sequential.pth', 'views-legacy.pth']) {
      const bytes = await fixture(file);
      let refused = 0;
      for (let i = 0; i < bytes.length; i++) {
        const bad = bytes.slice();
        bad[i] ^= 0x5a;
        const m = await message(loadTorchObject(bad));
        if (m) {
          expect(m, `${file} byte ${i}`).toMatch(/^loadTorchObject: /);
          refused++;
        }
      }
      // in the ZIP file every byte of a data entry is covered by its CRC-32
      expect(refused, file).toBeGreaterThan(bytes.length / 2);
    }
  });

  it('the CRC-32 of every entry is checked', async () => {
    const bytes = (await fixture('sequential.pth')).slice();
    const entry = readZip('t', bytes).get('sequential/data/0')!;
    expect(crc32(entry.data)).toBe(entry.crc32);
    entry.data[0] ^= 1; // a view into `bytes`
    await expect(loadTorch(bytes)).rejects.toThrow(/the data of entry 'sequential\/data\/0' does not match its CRC-32 checksum/);
  });
});

describe('saveTorch', () => {
  it('writes the archive layout PyTorch writes: STORED entries, data at multiples of 64 bytes', async () => {
    const w = tensor([[1, 2, 3]]);
    const bytes = await saveTorch({ w });
    w.dispose();
    const entries = readZip('t', bytes);
    expect([...entries.keys()]).toEqual(['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/version']);
    for (const e of entries.values()) expect(e.data.byteOffset % 64, e.name).toBe(0);
    expect(new TextDecoder().decode(entries.get('archive/version')!.data)).toBe('3\n');
    expect(new TextDecoder().decode(entries.get('archive/byteorder')!.data)).toBe('little');
    expect([...new Float32Array(entries.get('archive/data/0')!.data.slice().buffer)]).toEqual([1, 2, 3]);
  });

  it('round-trips through loadTorch: dtypes, views written contiguous, tied tensors stored once, 0-d and empty', async () => {
    const base = tensor([[1, 2, 3], [4, 5, 6]]);
    const sd = {
      f32: base,
      t: base.transpose(0, 1),
      tied: base,
      f64: tensor([0.1, -1e300], { dtype: 'float64' }),
      i32: tensor([-2147483648, 2147483647], { dtype: 'int32' }),
      b: tensor([true, false]),
      s: tensor(2.5),
      e: tensor([[], []], { dtype: 'int32' }),
    };
    const bytes = await saveTorch(sd);
    expect([...readZip('t', bytes).keys()].filter((k) => k.startsWith('archive/data/'))).toHaveLength(7);
    const back = await loadTorch(bytes);
    expect(Object.keys(back)).toEqual(Object.keys(sd));
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k]!.dtype, k).toBe(t.dtype);
      expect(back[k]!.arraySync(), k).toEqual(t.arraySync());
    }
    // two tensors over one storage, as in PyTorch (not one Tensor object)
    expect(back.tied).not.toBe(back.f32);
    disposeAll(Object.values(back));
    disposeAll(Object.values(sd));
  });

  it('writes a path atomically: a failed save leaves the old file and no temporary file', async () => {
    const dir = await tmp();
    const file = join(dir, 'model.pth');
    const a = tensor([1]);
    await saveTorch({ a }, file);
    const before = await readFile(file);
    const gone = tensor([2]);
    gone.dispose();
    await expect(saveTorch({ a, gone }, file)).rejects.toThrow(/tensor "gone" is disposed/);
    expect(await readFile(file)).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.includes('model.pth'))).toEqual(['model.pth']);
    await expect(saveTorch({ a }, join(dir, 'missing', 'x.pth'))).rejects.toThrow(/cannot create a temporary file/);
    a.dispose();
  });
});

describe.skipIf(NO_TORCH !== '')('with PyTorch (/usr/bin/python3)', () => {
  const DUMP = `
import json, sys, torch
obj = torch.load(sys.argv[1], weights_only=True)
print(json.dumps({k: [str(v.dtype), list(v.shape), v.reshape(-1).tolist(), v.is_contiguous()] for k, v in obj.items()}))`;

  it("torch.load(..., weights_only=True) reads saveTorch's output with identical values", async () => {
    const base = tensor([[1.5, -2, 3e-8], [4, 5, 6]]);
    const sd = {
      'conv.weight': base,
      'conv.weight_t': base.transpose(0, 1),
      'bn.running_var': tensor([0.1, 1e300], { dtype: 'float64' }),
      'bn.num_batches_tracked': tensor(7, { dtype: 'int32' }),
      mask: tensor([true, false, true]),
      empty: tensor([[], []]),
      tied: base,
    };
    const file = join(await tmp(), 'saved.pth');
    await saveTorch(sd, file);
    const out = JSON.parse(python(DUMP, file)) as Record<string, [string, number[], unknown[], boolean]>;
    expect(Object.keys(out)).toEqual(Object.keys(sd));
    const names = { float32: 'torch.float32', float64: 'torch.float64', int32: 'torch.int32', bool: 'torch.bool' };
    for (const [k, t] of Object.entries(sd)) {
      expect(out[k]![0], k).toBe(names[t.dtype]);
      expect(out[k]![1], k).toEqual(t.shape);
      expect(out[k]![2], k).toEqual(values(t));
      expect(out[k]![3], k).toBe(true);
    }
    // tied tensors share one storage in PyTorch too
    expect(python(`import torch, sys; d = torch.load(sys.argv[1], weights_only=True); print(d['tied'].data_ptr() == d['conv.weight'].data_ptr())`, file).trim()).toBe('True');
    disposeAll(Object.values(sd));
  }, 120_000);

  it('torch.load reads a ZIP64 archive written by writeZip (as large files need)', async () => {
    const w = tensor([[1, 2], [3, 4]]);
    const bytes = await saveTorch({ w });
    w.dispose();
    const entries = [...readZip('t', bytes).values()].map((e) => ({ name: e.name, data: e.data }));
    const parts: Uint8Array[] = [];
    await writeZip(entries, async (c) => {
      parts.push(c.slice());
    }, { forceZip64: true });
    const file = join(await tmp(), 'zip64.pth');
    await writeFile(file, Buffer.concat(parts));
    expect(JSON.parse(python(DUMP, file))).toEqual({ w: ['torch.float32', [2, 2], [1, 2, 3, 4], true] });
    const back = await loadTorch(file);
    expect(back.w!.arraySync()).toEqual([[1, 2], [3, 4]]);
    disposeAll(Object.values(back));
  }, 120_000);

  it("torchvision's resnet18() state dict (46 MB, both formats): 122 keys (102 without num_batches_tracked) with Python's values", async () => {
    const dir = await tmp();
    const out = python(
      `
import json, sys, torch, torchvision
torch.manual_seed(0)
sd = torchvision.models.resnet18().state_dict()
torch.save(sd, sys.argv[1] + '/resnet18.pth')
torch.save(sd, sys.argv[1] + '/resnet18-legacy.pth', _use_new_zipfile_serialization=False)
pick = {'conv1.weight': sd['conv1.weight'][0, 0, 0].tolist(), 'layer4.1.conv2.weight': sd['layer4.1.conv2.weight'][511, 511, 2].tolist(),
        'fc.weight': sd['fc.weight'][999, -5:].tolist(), 'fc.bias': sd['fc.bias'][:5].tolist(), 'bn1.running_var': sd['bn1.running_var'][:3].tolist()}
print(json.dumps({'keys': list(sd.keys()), 'pick': pick, 'sum': float(sum(v.double().sum() for v in sd.values()))}))`,
      dir,
    );
    const expected = JSON.parse(out) as { keys: string[]; pick: Record<string, number[]>; sum: number };
    expect(expected.keys).toHaveLength(122);
    expect(expected.keys.filter((k) => !k.endsWith('num_batches_tracked'))).toHaveLength(102);
    for (const file of ['resnet18.pth', 'resnet18-legacy.pth']) {
      const sd = await loadTorch(join(dir, file));
      expect(Object.keys(sd), file).toEqual(expected.keys);
      expect(sd['bn1.num_batches_tracked']!.dtype).toBe('int32');
      expect(sd['bn1.num_batches_tracked']!.arraySync()).toBe(0);
      expect(sd['conv1.weight']!.shape).toEqual([64, 3, 7, 7]);
      const f32 = (v: number[]): number[] => Array.from(Float32Array.from(v));
      expect((sd['conv1.weight']!.arraySync() as number[][][][])[0]![0]![0], file).toEqual(f32(expected.pick['conv1.weight']!));
      expect((sd['layer4.1.conv2.weight']!.arraySync() as number[][][][])[511]![511]![2], file).toEqual(f32(expected.pick['layer4.1.conv2.weight']!));
      expect((sd['fc.weight']!.arraySync() as number[][])[999]!.slice(-5), file).toEqual(f32(expected.pick['fc.weight']!));
      expect((sd['fc.bias']!.arraySync() as number[]).slice(0, 5), file).toEqual(f32(expected.pick['fc.bias']!));
      expect((sd['bn1.running_var']!.arraySync() as number[]).slice(0, 3), file).toEqual(f32(expected.pick['bn1.running_var']!));
      let sum = 0;
      for (const t of Object.values(sd)) for (const x of t.dataSync()) sum += x;
      expect(sum).toBeCloseTo(expected.sum, 6);
      disposeAll(Object.values(sd));
    }
  }, 300_000);
});
