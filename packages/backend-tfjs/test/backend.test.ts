// The backend around the kernels: engine selection, the error for a missing engine package, both
// tfjs backends alive at once (tfjs-core has one global active engine), tfjs tensor accounting
// (no leaks through a training step), moving tensors between backends, dtypes.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tg from '@tensorgrad/tensor';
import { findBackend, memory, setBackend, tensor, tidy } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import { ENGINE_PACKAGES, TfjsBackend, registerTfjsBackend, type TfjsStorage } from '@tensorgrad/backend-tfjs';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@tensorgrad/layers';
import { crossEntropy } from '@tensorgrad/losses';
import { Adam } from '@tensorgrad/optimizers';
import { importOptional } from '../src/engine.js';

const cpuEngine = (await findBackend('tfjs')) as TfjsBackend;
const wasmEngine = (await findBackend('tfjs-wasm')) as TfjsBackend;

// the tfjs tensors of an engine (tfjs's per-engine data count) while `fn` runs
function engineTensorsAdded(engine: 'cpu' | 'wasm', fn: () => void): number {
  const b = tf.findBackend(engine)!;
  const before = b.numDataIds();
  fn();
  return b.numDataIds() - before;
}

describe('engines', () => {
  it("registers 'tfjs' on the cpu engine and 'tfjs-wasm' on the wasm engine", () => {
    expect(tg.listBackends()).toEqual(expect.arrayContaining(['tfjs', 'tfjs-wasm']));
    expect(cpuEngine.engine).toBe('cpu');
    expect(wasmEngine.engine).toBe('wasm');
    expect(cpuEngine.dtypes).toEqual(['float32', 'int32', 'bool']);
  });

  it('runs every kernel on its own engine and leaves that engine active', () => {
    const a = tensor([1, 2, 3]).to('tfjs');
    const b = tensor([1, 2, 3]).to('tfjs-wasm');
    let y: tg.Tensor | undefined;
    expect(engineTensorsAdded('cpu', () => (y = b.mul(b)))).toBe(0);
    expect(tf.getBackend()).toBe('wasm');
    y!.dispose();
    expect(engineTensorsAdded('wasm', () => (y = a.mul(a)))).toBe(0);
    expect(tf.getBackend()).toBe('cpu');
    y!.dispose();
    a.dispose();
    b.dispose();
  });

  it('loads the wasm engine single-threaded', () => {
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('registers a backend with custom options, created on first use', async () => {
    const name = registerTfjsBackend({ name: 'tfjs-custom', engine: 'wasm' });
    expect(name).toBe('tfjs-custom');
    const b = (await findBackend(name)) as TfjsBackend;
    expect(b.engine).toBe('wasm');
    expect(b.name).toBe('tfjs-custom');
    tg.removeBackend(name);
  });

  it('rejects an unknown engine', async () => {
    await expect(TfjsBackend.create({ engine: 'webgl' as 'cpu' })).rejects.toThrow(/unknown engine "webgl"; expected 'cpu' or 'wasm'/);
  });

  it('names the package to install when an engine package is missing', async () => {
    const missing = '@tensorflow/tfjs-backend-not-installed';
    await expect(importOptional(missing, "the tfjs 'x' engine", () => import(/* @vite-ignore */ missing))).rejects.toThrow(
      `backend-tfjs: the tfjs 'x' engine needs the package ${missing}, which is not installed; install it next to @tensorflow/tfjs-core (e.g. \`npm install ${missing}@4.22.0\`)`,
    );
    // other failures pass through unchanged
    await expect(importOptional(missing, 'x', () => Promise.reject(new Error('boom')))).rejects.toThrow(/^boom$/);
    expect(ENGINE_PACKAGES).toEqual({ cpu: '@tensorflow/tfjs-backend-cpu', wasm: '@tensorflow/tfjs-backend-wasm' });
  });
});

describe('both tfjs backends alive at once', () => {
  it('interleaved ops give each backend its own engine and the right values', async () => {
    const x = [0.5, -1.25, 2, 3.5, -4, 0.75];
    const a = tensor(x).reshape([2, 3]).to('tfjs');
    const b = tensor(x).reshape([2, 3]).to('tfjs-wasm');
    const expected = [
      [x[0]! * x[0]! + x[1]! * x[1]! + x[2]! * x[2]!, x[0]! * x[3]! + x[1]! * x[4]! + x[2]! * x[5]!],
      [x[3]! * x[0]! + x[4]! * x[1]! + x[5]! * x[2]!, x[3]! * x[3]! + x[4]! * x[4]! + x[5]! * x[5]!],
    ];
    for (let i = 0; i < 3; i++) {
      const ya = tidy(() => a.matmul(a.transpose(0, 1)).relu());
      const yb = tidy(() => b.matmul(b.transpose(0, 1)).relu());
      expect(ya.backend).toBe('tfjs');
      expect(yb.backend).toBe('tfjs-wasm');
      expect(((ya._storage.handle as TfjsStorage).tensor as tf.Tensor & { dataId: object }).dataId).toBeDefined();
      for (const [y, e] of [[ya, expected], [yb, expected]] as const) {
        const got = (await y.array()) as number[][];
        got.forEach((row, r) => row.forEach((v, c) => expect(v).toBeCloseTo(Math.max(0, e[r]![c]!), 5)));
      }
      ya.dispose();
      yb.dispose();
    }
    // mixing them in one op is tensorgrad's usual error
    expect(() => a.add(b)).toThrow(/tensors live on different backends: input is on 'tfjs' and other is on 'tfjs-wasm'/);
    a.dispose();
    b.dispose();
  });

  it('counts each backend’s own tensors', async () => {
    // a second backend on the cpu engine: each instance counts only its own storage
    const other = await TfjsBackend.create({ name: 'tfjs-count', engine: 'cpu' });
    const ca = cpuEngine.memory().numTensors;
    const cb = wasmEngine.memory().numTensors;
    const tfBefore = tf.memory().numTensors;
    const a = tensor([1, 2, 3]).to('tfjs');
    const b1 = tensor([1, 2]).to('tfjs-wasm');
    const b2 = b1.add(1);
    const h = other.alloc('float32', 4);
    expect(cpuEngine.memory().numTensors - ca).toBe(1);
    expect(wasmEngine.memory().numTensors - cb).toBe(2);
    expect(other.memory()).toEqual({ numTensors: 1, numBytes: 16 });
    expect(wasmEngine.memory().numBytes).toBeGreaterThanOrEqual(16);
    // tfjs's own (global) count moves exactly with the storage the backends hold
    expect(tf.memory().numTensors - tfBefore).toBe(4);
    for (const t of [a, b1, b2]) t.dispose();
    other.free(h);
    expect(cpuEngine.memory().numTensors).toBe(ca);
    expect(wasmEngine.memory().numTensors).toBe(cb);
    expect(other.memory().numTensors).toBe(0);
    expect(tf.memory().numTensors).toBe(tfBefore);
    other.dispose();
  });
});

describe.each(['tfjs', 'tfjs-wasm'])('%s', (name) => {
  it('trains a small CNN for two steps without leaking tfjs tensors, like the CPU backend', async () => {
    const losses: Record<string, number[]> = {};
    const left: Record<string, number> = {};
    for (const be of ['cpu', name]) {
      await setBackend(be);
      tg.manualSeed(7);
      const model = new Sequential(new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3));
      const opt = new Adam(model.parameters(), { lr: 1e-2 });
      const x = tg.randn([5, 1, 8, 8]);
      const y = tensor([0, 1, 2, 1, 0], { dtype: 'int32' });
      const tfBefore = tf.memory().numTensors;
      const storageBefore = be === 'cpu' ? 0 : ((await findBackend(be)) as TfjsBackend).storageCount;
      const before = memory(be);
      losses[be] = [];
      for (let step = 0; step < 2; step++) {
        opt.zeroGrad();
        const loss = crossEntropy(model.call(x), y);
        loss.backward();
        opt.step();
        losses[be]!.push(Number(loss.itemSync()));
        loss.dispose();
      }
      const after = memory(be);
      // what stays (grads, Adam's state) must be what stays on the CPU backend
      left[be] = after.numTensors - before.numTensors;
      if (be !== 'cpu') {
        // every tfjs tensor created by the two steps is the storage of a live tensorgrad tensor
        const storage = ((await findBackend(be)) as TfjsBackend).storageCount - storageBefore;
        expect(tf.memory().numTensors - tfBefore).toBe(storage);
        expect(after.numBuffers - before.numBuffers).toBe(storage);
      }
      opt.zeroGrad();
      for (const p of model.parameters()) p.grad?.dispose();
      x.dispose();
      y.dispose();
    }
    expect(left[name]).toBe(left.cpu);
    expect(losses[name]![0]).toBeCloseTo(losses.cpu![0]!, 4);
    expect(losses[name]![1]).toBeCloseTo(losses.cpu![1]!, 4);
    await setBackend('cpu');
  });

  it('moves tensors to and from the cpu backend, every dtype', async () => {
    const cases = [tensor([1.5, -2, 3e-7]), tensor([7, -8], { dtype: 'int32' }), tensor([true, false, true])];
    for (const c of cases) {
      const there = c.to(name);
      expect(there.backend).toBe(name);
      expect(there.dtype).toBe(c.dtype);
      const back = there.to('cpu');
      expect(await back.array()).toEqual(await c.array());
      const async = await tg.toAsync(c, name);
      expect(await async.array()).toEqual(await c.array());
      for (const t of [c, there, back, async]) t.dispose();
    }
  });

  it('refuses float64 with a clear error', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    expect(() => x.to(name)).toThrow(/does not support dtype float64/);
    const y = tensor([1, 2]).to(name);
    expect(() => y.double()).toThrow(/does not support dtype float64/);
    x.dispose();
    y.dispose();
  });

  it('keeps its storage alive inside a tf.tidy of the caller', async () => {
    let y: tg.Tensor | undefined;
    tf.tidy(() => {
      y = tensor([1, 2, 3]).to(name).mul(2);
    });
    expect(await y!.array()).toEqual([2, 4, 6]);
    y!.dispose();
  });
});
