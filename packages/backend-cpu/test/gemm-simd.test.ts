// The WebAssembly SIMD GEMM against an independent float64 triple loop: edge sizes around the
// micro-tile (4×8 float32, 4×4 float64) and the KC / MC / NC blocks, k = 1, transposed, padded,
// stepped and broadcast operands, offsets, column-major and strided C, accumulate mode, and the
// fallback when WebAssembly is missing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CpuBackend, cpuSimdEnabled, matmulInto, setCpuSimd, type MatmulOperand } from '@tensorgrad/backend-cpu';
import { findBackendSync } from '@tensorgrad/tensor';
import { check, checkLargeProducts, checkOperandLayouts, checkOutputLayouts } from './gemm-check.js';
import { gemmModuleBytes, simdSupported } from '../src/wasm/gemm-simd.js';
import { parseSimdEnv } from '../src/wasm/simd-switch.js';

const cpu = findBackendSync('cpu') as CpuBackend;
const forceSimd = (on: boolean): void => cpu.gemm.simdSwitch.force(on);
const simdMemoryBytes = (elem: 'f32' | 'f64'): number => cpu.gemm.simd.memoryBytes(elem);

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 8, 1],
  [4, 8, 1],
  [3, 5, 7],
  [5, 9, 1],
  [7, 17, 3],
  [9, 13, 33],
  [16, 16, 16],
  [17, 31, 255],
  [33, 65, 256],
  [31, 7, 257],
  [64, 1, 300],
  [1, 100, 513],
  [129, 40, 20],
  [130, 33, 9],
  [2, 1030, 5],
];

const force = (): void => {
  setCpuSimd(true);
  forceSimd(true);
};

beforeAll(force);
afterAll(() => forceSimd(false));

describe.runIf(simdSupported())('SIMD GEMM vs a float64 triple loop', () => {
  for (const T of [Float32Array, Float64Array]) {
    it(`${T.name}: every size, row-major operands`, () => {
      for (const [m, n, k] of SIZES) check(T, { m, n, k }, matmulInto);
    });
    it(`${T.name}: transposed, padded, stepped and broadcast operands`, () => checkOperandLayouts(T));
    it(`${T.name}: column-major and padded C, accumulate mode`, () => checkOutputLayouts(T, SIZES));
  }

  it('handles products larger than one block in every dimension (row chunks, NC panels, KC slices)', () => {
    checkLargeProducts();
  });

  it('never grows its memory (a detached ArrayBuffer would slow every typed array in V8)', () => {
    check(Float32Array, { m: 4, n: 8, k: 2 }, matmulInto);
    check(Float64Array, { m: 4, n: 8, k: 2 }, matmulInto);
    const f32 = simdMemoryBytes('f32');
    const f64 = simdMemoryBytes('f64');
    expect(f32).toBeGreaterThan(0);
    // the largest layouts: full KC, MC and NC blocks and a whole row chunk of C panel (results of
    // such shapes are checked above; here only the memory matters)
    for (const T of [Float32Array, Float64Array]) {
      const [m, n, k] = [1100, 1100, 300];
      const op = (r: number, c: number): MatmulOperand => ({ data: new T(r * c), offset: 0, rowStride: c, colStride: 1 });
      matmulInto(m, n, k, op(m, k), op(k, n), op(m, n));
    }
    check(Float32Array, { m: 9, n: 9, k: 9 }, matmulInto);
    expect(simdMemoryBytes('f32')).toBe(f32);
    expect(simdMemoryBytes('f64')).toBe(f64);
  });

  it('runs the products, not the TypeScript path, when forced (float32 rounding differs)', () => {
    // Σ of 1 + 2⁻²⁴ · 4 in float32 accumulation loses the small terms; the float64-accumulating
    // TypeScript path keeps them
    const k = 5;
    const a = new Float32Array(4 * k).fill(1);
    const b = new Float32Array(k * 8);
    for (let j = 0; j < 8; j++) {
      b[j] = 1;
      for (let p = 1; p < k; p++) b[p * 8 + j] = 2 ** -25;
    }
    const run = (): number => {
      const c = new Float32Array(32);
      matmulInto(4, 8, k, { data: a, offset: 0, rowStride: k, colStride: 1 }, { data: b, offset: 0, rowStride: 8, colStride: 1 }, { data: c, offset: 0, rowStride: 8, colStride: 1 });
      return c[0]!;
    };
    expect(run()).toBe(1); // float32: 1 + 2⁻²⁵ rounds back to 1, four times
    setCpuSimd(false);
    expect(cpuSimdEnabled()).toBe(false);
    expect(run()).toBe(Math.fround(1 + 4 * 2 ** -25)); // float64 sum, rounded once
    force();
    expect(cpuSimdEnabled()).toBe(true);
  });
});

describe('plain TypeScript path (reference)', () => {
  it('matches the float64 triple loop too', () => {
    setCpuSimd(false);
    try {
      for (const T of [Float32Array, Float64Array]) {
        for (const [m, n, k] of SIZES) check(T, { m, n, k, a: 'col', c: 'padded', accumulate: true }, matmulInto);
      }
    } finally {
      force();
    }
  });
});

describe('switching and feature detection', () => {
  it('validates the emitted modules', () => {
    expect(WebAssembly.validate(gemmModuleBytes('f32'))).toBe(true);
    expect(WebAssembly.validate(gemmModuleBytes('f64'))).toBe(true);
    expect(simdSupported()).toBe(true); // Node ≥ 16.4 ships wasm SIMD
  });

  it('reads TENSORGRAD_CPU_SIMD', () => {
    expect(parseSimdEnv(undefined)).toBe(true);
    expect(parseSimdEnv('1')).toBe(true);
    expect(parseSimdEnv('0')).toBe(false);
    expect(parseSimdEnv(' off ')).toBe(false);
    expect(parseSimdEnv('FALSE')).toBe(false);
  });

  it('rejects a non-boolean switch', () => {
    expect(() => setCpuSimd('no' as unknown as boolean)).toThrow(/setCpuSimd: expected a boolean, got string/);
  });

  it('falls back to the TypeScript kernels without WebAssembly', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const simd = await import('../src/wasm/gemm-simd.js');
      const { CpuBackend: FreshCpu } = await import('../src/backend.js');
      const settings = await import('../src/settings.js');
      const fresh = new FreshCpu('no-wasm');
      expect(simd.simdSupported()).toBe(false);
      expect(settings.setCpuSimd(true, fresh)).toBe(false);
      fresh.gemm.simdSwitch.force(true);
      const x = new Float32Array(4);
      const op = { data: x, offset: 0, rowStride: 2, colStride: 1 };
      expect(fresh.gemm.simd.run('f32', 2, 2, 2, op, op, { data: new Float32Array(4), offset: 0, rowStride: 2, colStride: 1 }, false)).toBe(false);
      const gemm: typeof matmulInto = (m, n, k, a, b, c, accumulate) => fresh.gemm.matmulInto(m, n, k, a, b, c, accumulate);
      for (const T of [Float32Array, Float64Array]) for (const [m, n, k] of SIZES.slice(0, 8)) check(T, { m, n, k, b: 'col' }, gemm);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
