// The CPU backend's storage reuse: freed arrays come back zeroed (or deliberately not, for kernels
// that overwrite every element), only for the same dtype and length, within the byte cap; freeing
// twice is caught; and tensors computed through reused storage keep the right values.
import { afterEach, describe, expect, it } from 'vitest';
import '@tensorgrad/autodiff';
import { memory, tensor, tidy } from '@tensorgrad/tensor';
import '../src/index.js';
import { emptyPool, giveArray, parsePoolEnv, poolStats, setPoolLimit, takeArray } from '../src/buffer-pool.js';
import { allocBuffer, freeBuffer } from '../src/util.js';

const DEFAULT = parsePoolEnv(undefined);

afterEach(() => {
  setPoolLimit(DEFAULT);
  emptyPool();
});

describe('buffer pool', () => {
  it('reuses a freed array of the same dtype and length, zero-filled', () => {
    emptyPool();
    const a = allocBuffer('float32', 4096);
    a.array.fill(7);
    const arr = a.array;
    freeBuffer(a);
    expect(poolStats().bytes).toBe(4096 * 4);
    const b = allocBuffer('float32', 4096);
    expect(b.array).toBe(arr);
    expect(b.array.every((v) => v === 0)).toBe(true);
    expect(poolStats().bytes).toBe(0);
    freeBuffer(b);
  });

  it('leaves contents alone only when the caller says it overwrites them', () => {
    emptyPool();
    const arr = new Float64Array(2048).fill(3);
    giveArray('float64', arr);
    const again = takeArray('float64', 2048, false);
    expect(again).toBe(arr);
    expect(again[0]).toBe(3);
  });

  it('never hands an array to another dtype or length', () => {
    emptyPool();
    giveArray('float32', new Float32Array(2048));
    expect(takeArray('int32', 2048, true)).toBeInstanceOf(Int32Array);
    expect(takeArray('float32', 2049, true).length).toBe(2049);
    expect(poolStats().bytes).toBe(2048 * 4);
  });

  it('keeps small arrays out and respects the cap (0 disables)', () => {
    emptyPool();
    giveArray('float32', new Float32Array(16));
    expect(poolStats().bytes).toBe(0);
    setPoolLimit(3 * 4096);
    giveArray('float32', new Float32Array(2048));
    giveArray('float32', new Float32Array(2048)); // would exceed 12 KiB
    expect(poolStats().bytes).toBe(8192);
    setPoolLimit(0);
    expect(poolStats().bytes).toBe(0);
    giveArray('float32', new Float32Array(2048));
    expect(poolStats().bytes).toBe(0);
  });

  it('catches a double free', () => {
    const a = allocBuffer('float32', 4096);
    freeBuffer(a);
    expect(() => freeBuffer(a)).toThrow(/freed twice/);
  });

  it('parses TENSORGRAD_CPU_POOL_MB', () => {
    expect(parsePoolEnv('')).toBe(256 * 2 ** 20);
    expect(parsePoolEnv('0')).toBe(0);
    expect(parsePoolEnv('1.5')).toBe(1.5 * 2 ** 20);
    expect(() => parsePoolEnv('lots')).toThrow(/TENSORGRAD_CPU_POOL_MB: expected a non-negative number of MiB, got 'lots'/);
    expect(() => setPoolLimit(-1)).toThrow(/non-negative/);
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
