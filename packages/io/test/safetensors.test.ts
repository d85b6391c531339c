// safetensors: round trips for every dtype, a byte-level check against a hand-computed layout,
// hand-crafted files (I64, F16, BF16) and every malformed-input error. Files are built by hand here
// (see `craft`), independently of the writer.
import { describe, expect, it } from 'vitest';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { useTestEnv } from './test-env.js';
import { loadSafetensors, readSafetensorsHeader, saveSafetensors } from '@tensorgrad/io';

const tmp = useTestEnv('tensorgrad-io-');

/** A safetensors file from a header string (padded as given) and raw data bytes. */
function craft(header: string, data: number[] | Uint8Array = [], declaredLength?: number): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function disposeAll(ts: Record<string, Tensor>): void {
  for (const t of Object.values(ts)) t.dispose();
}

describe('round trips', () => {
  it('keeps every dtype, shape, value and metadata, incl. 0-d and empty tensors', async () => {
    const sd = {
      f32: tensor([[1.5, -2.25, 3], [4, 5, 6e-8]]),
      f64: tensor([0.1, 1e300, -0], { dtype: 'float64' }),
      i32: tensor([[-2147483648], [2147483647]], { dtype: 'int32' }),
      bool: tensor([true, false, true]),
      scalar: tensor(7.25),
      scalarInt: tensor(-3, { dtype: 'int32' }),
      empty: tensor([], { dtype: 'float64' }),
      empty2d: tensor([[], []], { dtype: 'bool' }),
    };
    const bytes = await saveSafetensors(sd, undefined, { metadata: { format: 'pt', note: 'ü ✓' } });
    const { tensors, metadata } = await loadSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'ü ✓' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(sd).sort());
    for (const [name, t] of Object.entries(sd)) {
      const u = tensors[name]!;
      expect(u.dtype, name).toBe(t.dtype);
      expect(u.shape, name).toEqual(t.shape);
      expect(u.arraySync(), name).toEqual(t.arraySync());
    }
    expect(Object.is(tensors.f64!.dataSync()[2], -0)).toBe(true);
    disposeAll(sd);
    disposeAll(tensors);
  });

  it('writes non-contiguous (transposed, sliced) tensors contiguous in row-major order', async () => {
    const base = tensor([[1, 2, 3], [4, 5, 6]]);
    const tr = base.transpose(0, 1);
    const col = base.select(1, 1);
    const bytes = await saveSafetensors({ tr, col });
    const header = readSafetensorsHeader(bytes);
    expect(header.tensors.tr!.shape).toEqual([3, 2]);
    const trData = new Float32Array(bytes.slice(header.dataStart + header.tensors.tr!.dataOffsets[0], header.dataStart + header.tensors.tr!.dataOffsets[1]).buffer);
    expect([...trData]).toEqual([1, 4, 2, 5, 3, 6]);
    const { tensors } = await loadSafetensors(bytes);
    expect(tensors.tr!.arraySync()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tensors.col!.arraySync()).toEqual([2, 5]);
    disposeAll(tensors);
    for (const t of [col, tr, base]) t.dispose();
  });

  it('accepts a Map, omits __metadata__ without metadata, and honours the backend option', async () => {
    const a = tensor([1, 2]);
    const bytes = await saveSafetensors(new Map([['a', a]]));
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + readSafetensorsHeader(bytes).headerLength))).not.toContain('__metadata__');
    const { tensors, metadata } = await loadSafetensors(bytes, { backend: 'cpu' });
    expect(metadata).toEqual({});
    expect(tensors.a!.backend).toBe('cpu');
    expect(tensors.a!.arraySync()).toEqual([1, 2]);
    disposeAll(tensors);
    a.dispose();
  });

  it('writes and reads a file path atomically (no temporary file left behind)', async () => {
    const d = await tmp();
    const file = join(d, 'model.safetensors');
    const w = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    await saveSafetensors({ w }, file, { metadata: { epoch: '3' } });
    expect(await readdir(d)).toEqual(['model.safetensors']);
    const onDisk = new Uint8Array(await readFile(file));
    expect(onDisk).toEqual(await saveSafetensors({ w }, undefined, { metadata: { epoch: '3' } }));
    const { tensors, metadata } = await loadSafetensors(file);
    expect(metadata.epoch).toBe('3');
    expect(tensors.w!.arraySync()).toEqual([[1, 2], [3, 4]]);
    disposeAll(tensors);
    w.dispose();
    await rm(file);
  });

  it('reports a clear error for a directory that does not exist', async () => {
    const w = tensor([1]);
    await expect(saveSafetensors({ w }, join(await tmp(), 'missing', 'x.safetensors'))).rejects.toThrow(/cannot create a temporary file.*directory exists/);
    w.dispose();
  });
});

describe('byte layout', () => {
  it('matches a hand-computed file: reference order (F64, I32, BOOL), compact JSON, space padding, LE data', async () => {
    const c = tensor([true, false]);
    const b = tensor([1, -2], { dtype: 'int32' });
    const a = tensor(0.5, { dtype: 'float64' });
    const bytes = await saveSafetensors({ c, b, a }, undefined, { metadata: { k: 'v' } });
    const json =
      '{"__metadata__":{"k":"v"},' +
      '"a":{"dtype":"F64","shape":[],"data_offsets":[0,8]},' +
      '"b":{"dtype":"I32","shape":[2],"data_offsets":[8,16]},' +
      '"c":{"dtype":"BOOL","shape":[2],"data_offsets":[16,18]}}';
    expect(json.length).toBe(188); // padded with 4 spaces to 192
    const expected = [
      192, 0, 0, 0, 0, 0, 0, 0,
      ...[...json].map((ch) => ch.charCodeAt(0)),
      32, 32, 32, 32,
      0, 0, 0, 0, 0, 0, 0xe0, 0x3f, // 0.5 as float64 LE
      1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, // 1, -2 as int32 LE
      1, 0, // true, false
    ];
    expect([...bytes]).toEqual(expected);
    for (const t of [a, b, c]) t.dispose();
  });

  it('lays out tensors of one dtype by name (code-unit order)', async () => {
    const sd = { 'layer.10.w': tensor([1]), 'layer.2.w': tensor([2]), B: tensor([3]) };
    const header = readSafetensorsHeader(await saveSafetensors(sd));
    expect(Object.keys(header.tensors)).toEqual(['B', 'layer.10.w', 'layer.2.w']);
    expect(header.tensors['layer.2.w']!.dataOffsets).toEqual([8, 12]);
    disposeAll(sd);
  });
});

describe('hand-crafted files', () => {
  it('reads I64 as int32 and rejects values outside the int32 range', async () => {
    const data = new Uint8Array(24);
    const v = new DataView(data.buffer);
    v.setBigInt64(0, 1n, true);
    v.setBigInt64(8, -1n, true);
    v.setBigInt64(16, 2147483647n, true);
    const file = craft('{"x":{"dtype":"I64","shape":[3],"data_offsets":[0,24]}}', data);
    const { tensors } = await loadSafetensors(file);
    expect(tensors.x!.dtype).toBe('int32');
    expect(tensors.x!.arraySync()).toEqual([1, -1, 2147483647]);
    disposeAll(tensors);
    v.setBigInt64(8, -2147483649n, true);
    const bad = craft('{"y":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"I64","shape":[3],"data_offsets":[4,28]}}', [
      5, 0, 0, 0, ...data,
    ]);
    await expect(loadSafetensors(bad)).rejects.toThrow(/"x" is I64.*element 1 is -2147483649, outside the int32 range/);
  });

  it('reads F16 and BF16 as float32, and unaligned data', async () => {
    const file = craft(
      '{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[10,14]}}',
      [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x7c, 0x01, 0x00, 0x55, 0x35, 0x80, 0x3f, 0x49, 0x40],
    );
    // header of 108 bytes: the data starts at byte 116, not a multiple of 8 in general
    const { tensors } = await loadSafetensors(file);
    expect(tensors.h!.dtype).toBe('float32');
    expect([...tensors.h!.dataSync()]).toEqual([1, -2, Infinity, 2 ** -24, Math.fround(0.333251953125)]);
    expect([...tensors.b!.dataSync()]).toEqual([1, 3.140625]);
    disposeAll(tensors);
  });

  it('rejects dtypes it cannot read yet, naming the dtype', async () => {
    const file = craft('{"u":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"f":{"dtype":"F32","shape":[],"data_offsets":[2,6]}}', [1, 2, 0, 0, 0, 0]);
    await expect(loadSafetensors(file)).rejects.toThrow(/"u" has dtype U8, which is not supported yet; readable dtypes are F32/);
  });

  it('reads a header with whitespace and metadata in any position', async () => {
    const file = craft('{ "a" : {"shape":[1], "dtype":"F32", "data_offsets":[0,4]}, "__metadata__": {"x":"1"} }  ', [0, 0, 0x80, 0x3f]);
    const { tensors, metadata } = await loadSafetensors(file);
    expect(metadata).toEqual({ x: '1' });
    expect(tensors.a!.arraySync()).toEqual([1]);
    disposeAll(tensors);
  });
});

describe('malformed input', () => {
  const ok = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['fewer than 8 bytes', new Uint8Array([1, 0, 0]), /expected at least 8 bytes.*got a 3-byte input/],
    ['header length beyond the file', craft(ok, new Uint8Array(8), 1000), /header length is 1000 bytes but only 62 bytes follow/],
    ['header length beyond the file (huge)', craft(ok, [], 2 ** 60), /header length is 1152921504606846976 bytes/],
    ['non-JSON header', craft('{"a": nope}'), /not valid JSON.*expected a JSON object/],
    ['invalid UTF-8', craft('{"\xff"}').map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8/],
    ['JSON that is not an object', craft('[1, 2]  '), /expected the header to be a JSON object, got an array/],
    ['metadata not an object', craft('{"__metadata__":[1]}'), /expected "__metadata__" to be an object of strings/],
    ['metadata value not a string', craft('{"__metadata__":{"e":3}}'), /"__metadata__" values to be strings, got number 3 for key "e"/],
    ['entry not an object', craft('{"a":5}'), /expected tensor "a" to be an object \{ dtype, shape, data_offsets \}, got number 5/],
    ['missing dtype', craft('{"a":{"shape":[2],"data_offsets":[0,8]}}', new Uint8Array(8)), /expected tensor "a" to have a string "dtype", got undefined/],
    ['unknown dtype', craft('{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', new Uint8Array(8)), /unknown dtype "F33"; expected one of BOOL/],
    ['missing shape', craft('{"a":{"dtype":"F32","data_offsets":[0,8]}}', new Uint8Array(8)), /"shape" array of non-negative integers, got undefined/],
    ['negative dimension', craft('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', new Uint8Array(8)), /non-negative integers, got an array \(\[-2\]\)/],
    ['fractional dimension', craft('{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}', new Uint8Array(8)), /non-negative integers/],
    ['missing data_offsets', craft('{"a":{"dtype":"F32","shape":[2]}}', new Uint8Array(8)), /"data_offsets" \[begin, end\] of two non-negative integers, got undefined/],
    ['data_offsets of three numbers', craft('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}', new Uint8Array(8)), /two non-negative integers, got an array/],
    ['end before begin', craft('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', new Uint8Array(8)), /data_offsets \[8, 0\]; expected begin <= end/],
    ['unknown field', craft('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}', new Uint8Array(8)), /unknown field "x"/],
    ['shape/offset size mismatch', craft('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', new Uint8Array(8)), /shape \[3\] and dtype F32, so expected 12 bytes, but its data_offsets \[0, 8\] span 8 bytes/],
    [
      'overlapping offsets',
      craft('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)),
      /"b" has data_offsets \[4, 8\], which overlaps "a", which ends at 8; expected it to begin at byte 8/,
    ],
    [
      'a gap between tensors',
      craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', new Uint8Array(12)),
      /"b" has data_offsets \[8, 12\], which leaves a gap after "a"/,
    ],
    ['out-of-range offsets', craft(ok, new Uint8Array(4)), /data_offsets \[0, 8\] but the byte buffer has only 4 bytes/],
    ['truncated file', craft(ok, new Uint8Array(8)).subarray(0, 68), /the byte buffer has only 6 bytes; the file is truncated/],
    ['trailing bytes', craft(ok, new Uint8Array(10)), /cover 8 bytes but the byte buffer has 10/],
    [
      'duplicate names',
      craft('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Uint8Array(8)),
      /names "a" twice; expected every tensor name/,
    ],
    ['duplicate fields', craft('{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)), /names "dtype" twice inside one entry/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects ${what}`, async () => {
      expect(() => readSafetensorsHeader(bytes)).toThrow(message);
      await expect(loadSafetensors(bytes)).rejects.toThrow(message);
    });
  }

  it('rejects bad arguments to loadSafetensors and saveSafetensors', async () => {
    await expect(loadSafetensors(42 as never)).rejects.toThrow(/expected a file path \(string\) or the file's bytes \(Uint8Array\), got number 42/);
    await expect(saveSafetensors({ a: [1, 2] } as never)).rejects.toThrow(/expected "a" to be a Tensor, got an array/);
    const t = tensor([1]);
    await expect(saveSafetensors({ __metadata__: t })).rejects.toThrow(/may not be named "__metadata__"/);
    await expect(saveSafetensors({ t }, undefined, { metadata: { n: 1 as never } })).rejects.toThrow(/metadata values to be strings, got number 1 for "n"/);
    t.dispose();
    await expect(saveSafetensors({ t })).rejects.toThrow(/disposed/);
  });
});
