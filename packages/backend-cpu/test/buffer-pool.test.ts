// The CPU backend's storage reuse: freed arrays come back zeroed (or deliberately not, for kernels
// that overwrite every element), only for the same dtype and length, within the byte cap; freeing
// twice is caught; tensors computed through reused storage keep the right values; and every
// backend instance has its own pool and memory counters.
import { describe, expect, it } from 'vitest';
import '@tensorgrad/autodiff';
import { memory, removeBackend, registerBackend, setBackend, tensor, tidy } from '@tensorgrad/tensor';
import { CpuBackend } from '../src/index.js';
import { BufferPool, parsePoolEnv } from '../src/buffer-pool.js';

describe('buffer pool', () => {
  it('reuses a freed array of the same dtype and length, zero-filled', () => {
    const cpu = new CpuBackend('pool-test');
    const a = cpu.allocBuffer('float32', 4096);
    a.array.fill(7);
    const arr = a.array;
    cpu.freeBuffer(a);
    expect(cpu.pool.stats().bytes).toBe(4096 * 4);
    const b = cpu.allocBuffer('float32', 4096);
    expect(b.array).toBe(arr);
    expect(b.array.every((v) => v === 0)).toBe(true);
    expect(cpu.pool.stats().bytes).toBe(0);
    cpu.freeBuffer(b);
  });

  it('leaves contents alone only when the caller says it overwrites them', () => {
    const pool = new BufferPool();
    const arr = new Float64Array(2048).fill(3);
    pool.give('float64', arr);
    const again = pool.take('float64', 2048, false);
    expect(again).toBe(arr);
    expect(again[0]).toBe(3);
  });

  it('never hands an array to another dtype or length', () => {
    const pool = new BufferPool();
    pool.give('float32', new Float32Array(2048));
    expect(pool.take('int32', 2048, true)).toBeInstanceOf(Int32Array);
    expect(pool.take('float32', 2049, true).length).toBe(2049);
    expect(pool.stats().bytes).toBe(2048 * 4);
  });

  it('keeps small arrays out and respects the cap (0 disables)', () => {
    const pool = new BufferPool();
    expect(pool.stats().limit).toBe(parsePoolEnv(process.env.TENSORGRAD_CPU_POOL_MB));
    pool.give('float32', new Float32Array(16));
    expect(pool.stats().bytes).toBe(0);
    pool.setLimit(3 * 4096);
    pool.give('float32', new Float32Array(2048));
    pool.give('float32', new Float32Array(2048)); // would exceed 12 KiB
    expect(pool.stats().bytes).toBe(8192);
    pool.setLimit(0);
    expect(pool.stats().bytes).toBe(0);
    pool.give('float32', new Float32Array(2048));
    expect(pool.stats().bytes).toBe(0);
    expect(new BufferPool(1024).stats().limit).toBe(1024);
  });

  it('catches a double free', () => {
    const cpu = new CpuBackend('pool-test');
    const a = cpu.allocBuffer('float32', 4096);
    cpu.freeBuffer(a);
    expect(() => cpu.freeBuffer(a)).toThrow(/freed twice/);
  });

  it('parses TENSORGRAD_CPU_POOL_MB', () => {
    expect(parsePoolEnv('')).toBe(256 * 2 ** 20);
    expect(parsePoolEnv('0')).toBe(0);
    expect(parsePoolEnv('1.5')).toBe(1.5 * 2 ** 20);
    expect(() => parsePoolEnv('lots')).toThrow(/TENSORGRAD_CPU_POOL_MB: expected a non-negative number of MiB, got 'lots'/);
    expect(() => new BufferPool().setLimit(-1)).toThrow(/non-negative/);
  });

  it('computes correct values through recycled storage, with no leaked tensors', () => {
    const n = 5000;
    const xs = Array.from({ length: n }, (_, i) => Math.sin(i));
    const start = memory().numTensors;
    for (let round = 0; round < 3; round++) {
      // each round frees its temporaries, so the next round's results land in recycled arrays
      const got = tidy(() => {
        const x = tensor(xs);
        const cube = x.mul(x).mul(x).sum(); // sum writes into zeroed storage
        const r = x.relu().dataSync();
        return { cube: cube.dataSync()[0]!, r };
      });
      const want = xs.reduce((s, v) => s + Math.fround(Math.fround(v * v) * v), 0);
      expect(got.cube).toBeCloseTo(want, 4);
      expect(Array.from(got.r)).toEqual(xs.map((v) => Math.max(Math.fround(v), 0)));
    }
    expect(memory().numTensors).toBe(start);
  });
});

describe('backend instances', () => {
  it('count their memory separately', async () => {
    const a = new CpuBackend('cpu-a');
    const b = new CpuBackend('cpu-b');
    registerBackend('cpu-a', () => a);
    registerBackend('cpu-b', () => b);
    try {
      await setBackend('cpu-a');
      const x = tensor([1, 2, 3]);
      const y = x.mul(x); // a kernel result, allocated through ctx.backend
      expect(a.memory()).toEqual({ numTensors: 2, numBytes: 24 });
      expect(b.memory()).toEqual({ numTensors: 0, numBytes: 0 });
      await setBackend('cpu-b');
      const z = tensor([1, 2], { dtype: 'float64' }).neg();
      expect(b.memory().numTensors).toBe(2);
      expect(b.memory().numBytes).toBe(32);
      expect(a.memory().numTensors).toBe(2);
      x.dispose();
      y.dispose();
      expect(a.memory()).toEqual({ numTensors: 0, numBytes: 0 });
      expect(b.memory().numTensors).toBe(2);
      z.dispose();
    } finally {
      await setBackend('cpu');
      removeBackend('cpu-a');
      removeBackend('cpu-b');
    }
  });

  it('keep their own buffer pools', () => {
    const a = new CpuBackend('cpu-a');
    const b = new CpuBackend('cpu-b');
    a.freeBuffer(a.allocBuffer('float32', 4096));
    expect(a.pool.stats().bytes).toBe(4096 * 4);
    expect(b.pool.stats().bytes).toBe(0);
    a.pool.setLimit(0);
    expect(b.pool.stats().limit).toBeGreaterThan(0);
  });
});
