// Checkpoints: round trip of model + optimizer state + epoch in one safetensors file with
// namespaced tensors, atomicity (a failure mid-write keeps the previous checkpoint, leaves no
// temporary file) and clear errors.
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensor, Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { useTestEnv } from './test-env.js';
import { CHECKPOINT_METADATA_KEY, loadCheckpoint, loadSafetensors, readSafetensorsHeader, saveCheckpoint, saveSafetensors } from '@tensorgrad/io';

const tmp = useTestEnv('tensorgrad-ckpt-');

/** Disposes every tensor reachable from a loaded checkpoint. */
function disposeDeep(v: unknown): void {
  if (v instanceof Tensor) v.dispose();
  else if (v instanceof Map) for (const x of v.values()) disposeDeep(x);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) disposeDeep(x);
}

describe('checkpoints', () => {
  it('round-trips model, optimizer state and epoch, with namespaced tensors', async () => {
    const file = join(await tmp(), 'ckpt.safetensors');
    const model = { '0.weight': tensor([[1, 2], [3, 4]]), '0.bias': tensor([0.5, -0.5]), '1.num_batches_tracked': tensor(7, { dtype: 'int32' }) };
    const optimizer = {
      state: { 0: { step: tensor(3), exp_avg: tensor([[0.1, 0.2], [0.3, 0.4]]) } },
      paramGroups: [{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, momentum: null, params: [0, 1] }],
    };
    const extra = { best: Infinity, worst: -Infinity, nan: NaN, names: new Map([['a', 1]]), $weird: { $tensor: 'not a tensor' } };
    await saveCheckpoint(file, { model, optimizer, epoch: 2, extra });
    expect(await readdir(await tmp())).toEqual(['ckpt.safetensors']);

    const header = readSafetensorsHeader(new Uint8Array(await readFile(file)));
    expect(Object.keys(header.tensors).sort()).toEqual([
      'model.0.bias',
      'model.0.weight',
      'model.1.num_batches_tracked',
      'optimizer.state.0.exp_avg',
      'optimizer.state.0.step',
    ]);
    expect(header.metadata[CHECKPOINT_METADATA_KEY]).toBeTypeOf('string');

    const loaded = await loadCheckpoint(file);
    expect(loaded.epoch).toBe(2);
    expect(Object.keys(loaded.model).sort()).toEqual(['0.bias', '0.weight', '1.num_batches_tracked']);
    expect(loaded.model['0.weight']!.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(loaded.model['1.num_batches_tracked']!.dtype).toBe('int32');
    expect(loaded.model['1.num_batches_tracked']!.itemSync()).toBe(7);
    const opt = loaded.optimizer as typeof optimizer;
    expect(opt.paramGroups).toEqual(optimizer.paramGroups);
    expect(opt.state[0].step.itemSync()).toBe(3);
    expect(opt.state[0].exp_avg.arraySync()).toEqual(optimizer.state[0].exp_avg.arraySync());
    const ex = loaded.extra as typeof extra;
    expect(ex.best).toBe(Infinity);
    expect(ex.worst).toBe(-Infinity);
    expect(ex.nan).toBeNaN();
    expect(ex.names).toEqual(new Map([['a', 1]]));
    expect(ex.$weird).toEqual({ $tensor: 'not a tensor' });
    disposeDeep(loaded);
    disposeDeep(model);
    disposeDeep(optimizer);
  });

  it('accepts a Map as the model state dict', async () => {
    const file = join(await tmp(), 'map.safetensors');
    const w = tensor([1, 2, 3]);
    await saveCheckpoint(file, { model: new Map([['w', w]]) });
    const loaded = await loadCheckpoint(file);
    expect(loaded.model.w!.arraySync()).toEqual([1, 2, 3]);
    disposeDeep(loaded);
    w.dispose();
  });

  it('a failure mid-write leaves the previous checkpoint intact and no temporary file', async () => {
    const d = await tmp();
    const file = join(d, 'atomic.safetensors');
    const w = tensor([1, 2]);
    await saveCheckpoint(file, { model: { w }, epoch: 1 });
    const previous = new Uint8Array(await readFile(file));

    const bad = tensor([9, 9]);
    bad.dispose(); // reading its data fails after the header and `model.w` have been written
    await expect(saveCheckpoint(file, { model: { w }, optimizer: { state: { 0: { exp_avg: bad } } }, epoch: 2 })).rejects.toThrow(/disposed/);
    expect(new Uint8Array(await readFile(file))).toEqual(previous);
    expect((await readdir(d)).filter((f) => f.startsWith('.') || f.endsWith('.tmp'))).toEqual([]);
    const loaded = await loadCheckpoint(file);
    expect(loaded.epoch).toBe(1);
    disposeDeep(loaded);
    w.dispose();
  });

  it('rejects non-plain data, cycles and colliding names with clear errors', async () => {
    const file = join(await tmp(), 'bad.safetensors');
    const w = tensor([1]);
    await expect(saveCheckpoint(file, { model: { w }, sched: new Date() })).rejects.toThrow(/'sched' is a Date; expected plain data/);
    await expect(saveCheckpoint(file, { model: { w }, fn: () => 1 })).rejects.toThrow(/'fn' is a function/);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    await expect(saveCheckpoint(file, { model: { w }, cyc })).rejects.toThrow(/'cyc.self' refers back/);
    await expect(saveCheckpoint(file, { model: { 'a.b': w, a: { b: w } } as never })).rejects.toThrow(/expected checkpoint.model\["a"\] to be a Tensor/);
    await expect(saveCheckpoint(file, { model: { w }, x: { 'a.b': w, a: { b: w } } })).rejects.toThrow(/both be stored as 'x.a.b'/);
    await expect(saveCheckpoint(file, { model: 3 as never })).rejects.toThrow(/checkpoint.model to be a state dict/);
    expect(await readdir(await tmp())).not.toContain('bad.safetensors');
    w.dispose();
  });

  it('refuses to load a plain safetensors file as a checkpoint, without leaking', async () => {
    const file = join(await tmp(), 'plain.safetensors');
    const w = tensor([1]);
    await saveSafetensors({ w }, file);
    await expect(loadCheckpoint(file)).rejects.toThrow(/no "tensorgrad.checkpoint" metadata.*loadSafetensors instead/);
    await saveSafetensors({ w }, file, { metadata: { [CHECKPOINT_METADATA_KEY]: '{not json' } });
    await expect(loadCheckpoint(file)).rejects.toThrow(/malformed "tensorgrad.checkpoint" entry/);
    const { tensors } = await loadSafetensors(file);
    tensors.w!.dispose();
    w.dispose();
  });

  it("loads from the file's bytes as from its path (a browser has bytes, no paths)", async () => {
    const file = join(await tmp(), 'bytes.safetensors');
    const w = tensor([[1, 2]]);
    await saveCheckpoint(file, { model: { w }, epoch: 3, settings: { lr: 0.5 } });
    const loaded = await loadCheckpoint(new Uint8Array(await readFile(file)));
    expect(loaded.epoch).toBe(3);
    expect(loaded.settings).toEqual({ lr: 0.5 });
    expect(loaded.model.w!.arraySync()).toEqual([[1, 2]]);
    loaded.model.w!.dispose();
    const plain = await saveSafetensors({ w }, undefined);
    await expect(loadCheckpoint(plain)).rejects.toThrow(/^loadCheckpoint: the given bytes have no "tensorgrad.checkpoint" metadata/);
    w.dispose();
  });
});
