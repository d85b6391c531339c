// The harness must itself be right: the comparison catches what it should, the float64
// reference matches hand-computed values, and a wrong op or a leak fails a check.
import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';
import {
  compareHost,
  decodeAttrs,
  erf,
  geluReference,
  goldenToTensor,
  loadGolden,
  matmulNd,
  propertySpecs,
  reduceNd,
  runChecked,
  runGoldenCase,
  seededRng,
  toleranceFor,
  varianceOf,
  assertClose,
  type HostTensor,
} from '@tensorgrad/conformance';

const f32 = (data: number[], shape = [data.length]): HostTensor => ({ shape, dtype: 'float32', data });

describe('compareHost', () => {
  const tol = toleranceFor('float32');
  it('accepts values within rtol/atol and matching NaN/Infinity', () => {
    expect(compareHost(f32([1.000001, NaN, Infinity, -Infinity, 0]), f32([1, NaN, Infinity, -Infinity, 5e-7]), tol)).toBeNull();
  });
  it('rejects NaN against a number, wrong infinities, dtype and shape', () => {
    expect(compareHost(f32([NaN]), f32([1]), tol)).toMatch(/element 0 \[0\] is NaN, expected 1/);
    expect(compareHost(f32([1]), f32([NaN]), tol)).toMatch(/expected NaN/);
    expect(compareHost(f32([Infinity]), f32([-Infinity]), tol)).toMatch(/expected -Infinity/);
    expect(compareHost(f32([1e30]), f32([Infinity]), tol)).not.toBeNull();
    expect(compareHost({ ...f32([1]), dtype: 'float64' }, f32([1]), tol)).toMatch(/dtype is float64, expected float32/);
    expect(compareHost(f32([1, 2], [2, 1]), f32([1, 2]), tol)).toMatch(/shape is \[2, 1\], expected \[2\]/);
  });
  it('names the first mismatch with its index and counts all of them', () => {
    const msg = compareHost(f32([0, 1, 2, 3], [2, 2]), f32([0, 1, 2.1, 3.1], [2, 2]), tol);
    expect(msg).toMatch(/element 2 \[1, 0\] is 2, expected 2\.1/);
    expect(msg).toMatch(/2 of 4 elements differ/);
  });
  it('is exact for int32 and bool', () => {
    expect(compareHost({ shape: [1], dtype: 'int32', data: [2] }, { shape: [1], dtype: 'int32', data: [3] }, toleranceFor('int32'))).not.toBeNull();
  });
});

describe('float64 reference', () => {
  it('erf matches tabulated values', () => {
    // Abramowitz & Stegun table 7.1
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 15);
    expect(erf(3)).toBeCloseTo(0.9999779095030014, 15);
  });
  it('gelu(1) = 0.8413447460685429 (exact), tanh form 0.8411919906082768', () => {
    expect(geluReference(1, 'none')).toBeCloseTo(0.8413447460685429, 14);
    expect(geluReference(1, 'tanh')).toBeCloseTo(0.8411919906082768, 14);
  });
  it('matmul, reductions and variance by hand', () => {
    const a = { shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) };
    const b = { shape: [2], data: Float64Array.of(5, 6) };
    expect([...matmulNd(a, b).data]).toEqual([17, 39]);
    expect(matmulNd(a, b).shape).toEqual([2]);
    expect([...reduceNd(a, [0], true, (v) => v[0]! + v[1]!).data]).toEqual([4, 6]);
    expect(varianceOf([1, 2, 3, 4], 0)).toBe(1.25);
  });
});

describe('golden helpers', () => {
  it('loads ops.json and decodes non-finite values and attrs', async () => {
    const ops = loadGolden('ops');
    expect(ops.cases.length).toBe(460);
    const t = goldenToTensor({ shape: [3], dtype: 'float32', data: ['NaN', 'Infinity', 0.5] }, 'cpu');
    await assertClose(t, { shape: [3], dtype: 'float32', data: ['NaN', 'Infinity', 0.5] }, toleranceFor('float32'), 't');
    t.dispose();
    expect(decodeAttrs({ value: '-Infinity', mode: 'constant' })).toEqual({ value: -Infinity, mode: 'constant' });
  });
});

describe('checks fail when they should', () => {
  const backend = tg.getBackend();
  it('a wrong op fails its property check', async () => {
    const spec = propertySpecs().find((s) => s.id === 'add/property/broadcast-rank')!;
    const wrong = { ...tg, add: tg.sub } as unknown as Record<string, unknown>;
    await expect(runChecked(backend, 'float32', seededRng('x'), wrong, (ctx) => spec.run(ctx))).rejects.toThrow(/element 0/);
    await runChecked(backend, 'float32', seededRng('x'), tg as unknown as Record<string, unknown>, (ctx) => spec.run(ctx));
  });
  it('a wrong forward or a missing gradient fails its golden case', async () => {
    const ops = loadGolden('ops').cases;
    const add = ops.find((c) => c.id === 'add/same-shape/float64')!;
    const mul = ops.find((c) => c.id === 'mul/same-shape/float64')!;
    const run = (c: typeof add, table: Record<string, unknown>) =>
      runChecked(backend, c.dtype, seededRng(c.id), table, (ctx) => runGoldenCase(ctx, c));
    await run(add, tg as unknown as Record<string, unknown>);
    await expect(run(add, { ...tg, add: tg.sub })).rejects.toThrow(/add\/same-shape\/float64 output: element 0/);
    const detached = { ...tg, mul: (a: tg.Tensor, b: tg.Tensor) => tg.mul(a, b.detach()) };
    await expect(run(mul, detached)).rejects.toThrow(/grad of input 1: backward\(\) left .grad null/);
  });
  it('a leaked tensor fails the memory check', async () => {
    let leaked: tg.Tensor | null = null;
    await expect(
      runChecked(backend, 'float32', seededRng('x'), tg as unknown as Record<string, unknown>, (ctx) => {
        leaked = fromArray(ctx.backend, new Float32Array(1), [1], 'float32');
      }),
    ).rejects.toThrow(/1 tensor\(s\) leaked/);
    (leaked as tg.Tensor | null)?.dispose();
  });
});
