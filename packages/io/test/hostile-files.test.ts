// Regression tests for what the hostile-file fuzzers (apps/fuzz, `files/safetensors` and
// `files/checkpoint`) found: each file here is the exact kind of bytes a fuzzer case produced,
// checked against the format's semantics (a safetensors name is any string, `__proto__`
// included, as in the reference reader, which keeps names in a map) — not against the reader's
// own output.
import { describe, expect, it } from 'vitest';
import { tensor, Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { useTestEnv } from './test-env.js';
import { CHECKPOINT_METADATA_KEY, loadCheckpoint, loadSafetensors, readSafetensorsHeader, saveSafetensors } from '@tensorgrad/io';

useTestEnv('tensorgrad-hostile-');

/** A safetensors file from its header text and data (length field, space padding, data). */
function file(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + data.length).fill(0x20, 8, 8 + padded);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.set(data, 8 + padded);
  return out;
}

const f32 = (...v: number[]): Uint8Array => new Uint8Array(Float32Array.from(v).buffer);

describe('hostile safetensors files', () => {
  it('a header nested 100000 levels deep is refused with a clear error, not a stack overflow', async () => {
    const deep = `{"t":{"dtype":"F32","shape":${'['.repeat(100_000)}0${']'.repeat(100_000)},"data_offsets":[0,0]}}`;
    const err = await loadSafetensors(file(deep)).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^readSafetensorsHeader: the header's JSON nests more than 128 levels deep/);
    const meta = `{"__metadata__":{"a":"b"},"deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(() => readSafetensorsHeader(file(meta))).toThrow(/nests more than 128 levels deep/);
    // 128 levels are fine for the depth check (the entry is then refused for what it is)
    expect(() => readSafetensorsHeader(file(`{"x":${'['.repeat(127)}${']'.repeat(127)}}`))).toThrow(/expected tensor "x" to be an object/);
  });

  it('a tensor named "__proto__" is an ordinary name: listed, loaded, and the record keeps its prototype', async () => {
    const bytes = file('{"__proto__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', f32(1.5, -2, 3));
    const header = readSafetensorsHeader(bytes);
    expect(Object.keys(header.tensors)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(header.tensors)).toBe(Object.prototype);
    const { tensors } = await loadSafetensors(bytes);
    expect(Object.keys(tensors)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(tensors, '__proto__')!.value.arraySync()).toEqual([1.5, -2]);
    for (const t of Object.values(tensors)) t.dispose();
  });

  it('a metadata key "__proto__" is kept as a key', async () => {
    const bytes = file('{"__metadata__":{"__proto__":"x","format":"pt"},"b":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}', f32(7));
    const { tensors, metadata } = await loadSafetensors(bytes);
    expect(Object.keys(metadata)).toEqual(['__proto__', 'format']);
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')!.value).toBe('x');
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    tensors.b!.dispose();
  });
});

describe('hostile checkpoints', () => {
  /** A checkpoint file with one model tensor `model.w` and the given checkpoint JSON. */
  async function checkpoint(json: string): Promise<Uint8Array> {
    const w = tensor([1, 2]);
    try {
      return await saveSafetensors({ 'model.w': w }, undefined, { metadata: { [CHECKPOINT_METADATA_KEY]: json } });
    } finally {
      w.dispose();
    }
  }
  const doc = (content: string): string => `{"format":"tensorgrad.checkpoint","version":1,"content":{"model":{"w":{"$tensor":"model.w"}},${content}}}`;

  it('a $tensor naming an inherited property (constructor, __proto__) is a missing tensor, not Object', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      await expect(loadCheckpoint(await checkpoint(doc(`"x":{"$tensor":"${name}"}`)))).rejects.toThrow(
        new RegExp(`^loadCheckpoint: the given bytes have a malformed "tensorgrad.checkpoint" entry: content.x refers to tensor '${name}', which the file does not contain`),
      );
    }
    await expect(loadCheckpoint(await checkpoint(doc('"x":{"$tensor":5}')))).rejects.toThrow(/content.x is \{ \$tensor: 5 \}; expected the name of a tensor/);
  });

  it('a content key "__proto__" stays a key and does not replace the prototype', async () => {
    const loaded = await loadCheckpoint(await checkpoint(doc('"__proto__":{"polluted":1},"epoch":3')));
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(loaded, '__proto__')!.value).toEqual({ polluted: 1 });
    expect(loaded.epoch).toBe(3);
    expect((loaded as Record<string, unknown>).polluted).toBeUndefined();
    expect(loaded.model.w).toBeInstanceOf(Tensor);
    loaded.model.w!.dispose();
  });

  it('malformed markers are named with their path instead of leaking engine errors', async () => {
    const cases: Array<[string, RegExp]> = [
      ['"h":{"$map":[1,2]}', /content.h is \{ \$map: \[1,2\] \}; expected an array of \[key, value\] pairs/],
      ['"h":{"$map":[[1]]}', /content.h is \{ \$map: \[\[1\]\] \}; expected an array of \[key, value\] pairs/],
      ['"h":{"$map":"x"}', /expected an array of \[key, value\] pairs/],
      ['"n":{"$number":{"a":1}}', /content.n is \{ \$number: \{"a":1\} \}; expected "NaN", "Infinity" or "-Infinity"/],
      ['"o":{"$object":null}', /content.o is \{ \$object: null \}; expected an object/],
      [`"d":${'['.repeat(100_000)}${']'.repeat(100_000)}`, /its JSON nests more than 1000 levels deep/],
      [`"d":${'{"a":'.repeat(1001)}1${'}'.repeat(1001)}`, /content.d(.a)+ nests more than 1000 levels deep|its JSON nests more than 1000 levels deep/],
    ];
    for (const [content, message] of cases) {
      const err = await loadCheckpoint(await checkpoint(doc(content))).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^loadCheckpoint: the given bytes have a malformed "tensorgrad.checkpoint" entry: /);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toMatch(/Maximum call stack|is not iterable|is not a function/);
    }
    await expect(loadCheckpoint(await checkpoint('{"format":"tensorgrad.checkpoint","version":1,"content":{"model":5}}'))).rejects.toThrow(
      /content.model is 5; expected the model's state dict/,
    );
    await expect(loadCheckpoint(await checkpoint('null'))).rejects.toThrow(/expected \{ format: 'tensorgrad.checkpoint', version: 1, content: \{ … \} \}, got null/);
  });

  it('valid markers still decode: Map pairs, non-finite numbers, escaped objects', async () => {
    const loaded = await loadCheckpoint(
      await checkpoint(doc('"h":{"$map":[[1,"a"],["k",{"$tensor":"model.w"}]]},"n":{"$number":"-Infinity"},"o":{"$object":{"$tensor":"just a string"}}')),
    );
    const h = loaded.h as Map<unknown, unknown>;
    expect([...h.keys()]).toEqual([1, 'k']);
    expect(h.get('k')).toBe(loaded.model.w);
    expect(loaded.n).toBe(-Infinity);
    expect(loaded.o).toEqual({ $tensor: 'just a string' });
    loaded.model.w!.dispose();
  });
});
