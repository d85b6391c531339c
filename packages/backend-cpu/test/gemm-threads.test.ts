// The threaded WebAssembly SIMD GEMM (shared memory, worker_threads) against an independent float64
// triple loop: edge sizes around the micro-tile and the blocks, uneven row splits (3 threads),
// transposed, padded, stepped and broadcast operands, strided C, accumulate mode; results equal to
// the single-threaded kernels bit for bit; the thread-count switch and TENSORGRAD_CPU_THREADS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend, cpuThreads, cpuThreadsReady, matmulInto, setCpuSimd, setCpuThreads, type MatmulOperand } from '@tensorgrad/backend-cpu';
import { findBackendSync } from '@tensorgrad/tensor';
import { parseThreadsEnv } from '../src/wasm/gemm-threads.js';
import { check, checkLargeProducts, checkOperandLayouts, checkOutputLayouts, operand, rng } from './gemm-check.js';

const threads = (findBackendSync('cpu') as CpuBackend).gemm.threads;
const forceThreads = (on: boolean): void => threads.force(on);
const readyThreads = (): number => threads.ready();
const stopThreads = (): void => threads.stop();
const threadedProducts = (): number => threads.products;

const threadsAvailable = typeof SharedArrayBuffer === 'function' && setCpuThreads(3) === 3;
let before = 1;

beforeAll(() => {
  before = cpuThreads();
  setCpuSimd(true);
  setCpuThreads(3);
  forceThreads(true);
});
afterAll(() => {
  forceThreads(false);
  setCpuThreads(before);
  stopThreads();
});

// m > 4: products with a single row tile stay on the calling thread
const SIZES: [number, number, number][] = [
  [5, 1, 1],
  [5, 9, 1],
  [8, 8, 8],
  [7, 17, 3],
  [9, 13, 33],
  [12, 8, 2],
  [17, 31, 255],
  [33, 65, 256],
  [31, 7, 257],
  [64, 1, 300],
  [129, 40, 20],
  [130, 33, 9],
  [6, 1030, 5],
  [128, 121, 576],
];

describe.runIf(threadsAvailable)('threaded GEMM vs a float64 triple loop', () => {
  for (const T of [Float32Array, Float64Array]) {
    it(`${T.name}: every size, row-major operands, on the threaded path`, () => {
      const n0 = threadedProducts();
      for (const [m, n, k] of SIZES) check(T, { m, n, k }, matmulInto);
      expect(threadedProducts() - n0).toBe(SIZES.length);
    });
    it(`${T.name}: transposed, padded, stepped and broadcast operands`, () => checkOperandLayouts(T));
    it(`${T.name}: column-major and padded C, accumulate mode`, () => checkOutputLayouts(T, SIZES));
  }

  it('handles products larger than one block in every dimension (row chunks, NC panels, KC slices)', () => {
    checkLargeProducts();
    check(Float32Array, { m: 5000, n: 8, k: 300, a: 'col' }, matmulInto);
  });

  it('gives the same bits as one thread (every element is summed in the same order)', () => {
    for (const T of [Float32Array, Float64Array]) {
      const [m, n, k] = [203, 150, 530];
      const r = rng(7);
      const a = operand(T, m, k, 'row', () => r());
      const b = operand(T, k, n, 'col', () => r());
      const run = (threads: number): MatmulOperand['data'] => {
        setCpuThreads(threads);
        const c = operand(T, m, n, 'row', () => 0);
        matmulInto(m, n, k, a, b, c);
        return c.data;
      };
      const one = run(1);
      const n0 = threadedProducts();
      const two = run(2);
      expect(threadedProducts()).toBe(n0 + 1);
      expect(Array.from(two)).toEqual(Array.from(one));
      setCpuThreads(3);
    }
  });

  it('starts its workers synchronously in Node (no product runs without them)', async () => {
    stopThreads();
    expect(setCpuThreads(3)).toBe(3);
    expect(readyThreads()).toBe(3);
    expect(await cpuThreadsReady()).toBe(3);
  });

  it('restarts its workers when the thread count changes', () => {
    for (const t of [2, 4, 1, 3]) {
      expect(setCpuThreads(t)).toBe(t);
      check(Float32Array, { m: 37, n: 29, k: 41 }, matmulInto);
    }
  });
});

describe('thread-count settings', () => {
  it('reads TENSORGRAD_CPU_THREADS', () => {
    expect(parseThreadsEnv(undefined)).toBeUndefined();
    expect(parseThreadsEnv('')).toBeUndefined();
    expect(parseThreadsEnv(' auto ')).toBeUndefined();
    expect(parseThreadsEnv('1')).toBe(1);
    expect(parseThreadsEnv(' 3')).toBe(3);
    for (const bad of ['0', '-2', '1.5', 'two']) expect(() => parseThreadsEnv(bad)).toThrow(/TENSORGRAD_CPU_THREADS: expected a positive integer/);
  });

  it('rejects a thread count that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '2' as unknown as number]) expect(() => setCpuThreads(bad)).toThrow(/setCpuThreads: expected a positive integer/);
  });

  it('uses one thread when asked, whatever the size', () => {
    const prev = cpuThreads();
    expect(setCpuThreads(1)).toBe(1);
    const n0 = threadedProducts();
    check(Float32Array, { m: 130, n: 130, k: 130 }, matmulInto);
    expect(threadedProducts()).toBe(n0);
    setCpuThreads(prev);
  });
});

describe('settings per backend instance', () => {
  it('gives each instance its own SIMD and thread settings, defaulting to the registered cpu', () => {
    const cpu = findBackendSync('cpu') as CpuBackend;
    const other = new CpuBackend('other');
    const before = cpuThreads();
    try {
      setCpuThreads(1);
      expect(setCpuThreads(2, other)).toBe(threadsAvailable ? 2 : 1);
      expect(cpuThreads()).toBe(1);
      expect(cpuThreads(cpu)).toBe(1);
      expect(cpuThreads(other)).toBe(threadsAvailable ? 2 : 1);
      setCpuSimd(false, other);
      expect(cpu.gemm.simdSwitch.enabled()).toBe(true);
      expect(other.gemm.simdSwitch.enabled()).toBe(false);
      // the other instance's products run on the TypeScript path, the registered one's on wasm
      const n0 = other.gemm.threads.products;
      check(Float32Array, { m: 37, n: 29, k: 41 }, (m, n, k, a, b, c, acc) => matmulInto(m, n, k, a, b, c, acc, other));
      expect(other.gemm.threads.products).toBe(n0);
    } finally {
      setCpuThreads(before);
      other.dispose();
    }
  });
});
