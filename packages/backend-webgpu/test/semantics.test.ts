import { describe, expect, it } from 'vitest';
import * as tg from '@tensorgrad/tensor';
import { findBackendSync, type Backend, type DType, type Tensor, type TypedArray } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
const suite = gpu.backend ? describe : describe.skip;
const title = gpu.backend ? 'webgpu kernels match the cpu kernels at the corners' : `webgpu semantics [skipped: no WebGPU adapter: ${gpu.reason}]`;

const SPECIAL = [0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 1e-30, -1e-30, 1e30, -1e30, Infinity, -Infinity, NaN, 88.5, -88.5, -103, 3e9, -3e9, 2147483647.5];

function make(b: Backend, dtype: DType, values: readonly number[], shape = [values.length]): Tensor {
  const arr = dtype === 'float32' ? Float32Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values, (v) => (v ? 1 : 0));
  return fromArray(b, arr, shape, dtype);
}

/** Exact for integers, bools and special values; finite floats within `rtol` (plus the Numerics atol 1e-6 at rtol 1e-5). */
function expectSame(got: TypedArray, want: TypedArray, rtol: number, label: string): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w)) expect(g, `${label} [${i}]`).toBeNaN();
    else if (!Number.isFinite(w) || rtol === 0) expect(g, `${label} [${i}]`).toBe(w);
    else expect(Math.abs(g - w), `${label} [${i}]: ${g} vs ${w}`).toBeLessThanOrEqual((rtol >= 1e-5 ? 1e-6 : 1e-30) + rtol * Math.abs(w));
  }
}

suite(title, () => {
  const g = gpu.backend!;
  const cpu = findBackendSync('cpu');

  async function compare(label: string, f: (b: Backend) => Tensor, rtol = 0): Promise<void> {
    const want = f(cpu);
    const got = f(g);
    expect(got.dtype).toBe(want.dtype);
    expectSame(await got.data(), want.dataSync(), rtol, label);
    want.dispose();
    got.dispose();
  }

  it('unary ops on special values (NaN, ±0, ±Infinity, huge, tiny)', async () => {
    const exact = ['neg', 'abs', 'square', 'relu', 'sign'] as const;
    for (const op of exact) await compare(op, (b) => (tg as unknown as Record<string, (x: Tensor) => Tensor>)[op]!(make(b, 'float32', SPECIAL)));
    const approx = ['exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid'] as const;
    for (const op of approx) await compare(op, (b) => (tg as unknown as Record<string, (x: Tensor) => Tensor>)[op]!(make(b, 'float32', SPECIAL)), 1e-5);
    await compare('gelu', (b) => tg.gelu(make(b, 'float32', SPECIAL)), 1e-5);
    await compare('gelu tanh', (b) => tg.gelu(make(b, 'float32', SPECIAL), { approximate: 'tanh' }), 1e-5);
    await compare('leakyRelu', (b) => tg.leakyRelu(make(b, 'float32', SPECIAL), { negativeSlope: 0.2 }), 1e-7);
    await compare('clamp', (b) => tg.clamp(make(b, 'float32', SPECIAL), { min: -1.5, max: 1e20 }));
    await compare('clamp min > max', (b) => tg.clamp(make(b, 'float32', SPECIAL), { min: 2, max: 1 }));
  });

  it('unary ops and pow on subnormal inputs (found by the property sweeps: lavapipe log(1e-40) was -88.02)', async () => {
    const tiny = [1e-40, -1e-40, 1e-39, 1.4e-45, 1.1e-38, -1.1e-38];
    const x = Float32Array.from(tiny);
    const log = await tg.log(make(g, 'float32', tiny.slice(0, 1).concat(tiny.slice(2, 5)))).data();
    // independent: Math.log of the float32 inputs (1e-40 → -92.1034)
    expectSame(log, Float32Array.from([x[0]!, x[2]!, x[3]!, x[4]!], Math.log), 1e-6, 'log of subnormals');
    // pow with a subnormal base (its log2 was off the same way): against Math.pow of the float32 values
    const base = Float32Array.of(1e-40, 1e-40, 3e-39, 1.4e-45);
    const exps = Float32Array.of(-0.96, 0.5, -1, 0.25);
    const p = await tg.pow(make(g, 'float32', [...base]), make(g, 'float32', [...exps])).data();
    expectSame(p, Float32Array.from(base, (b, i) => Math.pow(b, exps[i]!)), 1e-5, 'pow of subnormal bases');
    for (const op of ['exp', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'abs', 'neg'] as const) {
      await compare(`${op} of subnormals`, (b) => (tg as unknown as Record<string, (x: Tensor) => Tensor>)[op]!(make(b, 'float32', tiny)), 1e-5);
    }
  });

  it('int32 wraps like 32-bit integers; bool arithmetic is logical', async () => {
    const ints = [0, 1, -1, 2147483647, -2147483648, 65536, -65536, 46341, 7, -7];
    for (const op of ['neg', 'abs', 'square', 'relu', 'sign'] as const) {
      await compare(`int32 ${op}`, (b) => (tg as unknown as Record<string, (x: Tensor) => Tensor>)[op]!(make(b, 'int32', ints)));
    }
    await compare('int32 add', (b) => make(b, 'int32', ints).add(make(b, 'int32', [...ints].reverse())));
    await compare('int32 mul', (b) => make(b, 'int32', ints).mul(make(b, 'int32', [...ints].reverse())));
    await compare('int32 pow', (b) => tg.pow(make(b, 'int32', [2, 3, -1, -1, 2, 0, 7, -2]), make(b, 'int32', [10, 21, -3, -4, -1, 0, 11, 31])));
    await compare('int32 clamp', (b) => tg.clamp(make(b, 'int32', ints), { min: -100, max: 1e12 }));
    await compare('bool add (or)', (b) => make(b, 'bool', [0, 1, 0, 1]).add(make(b, 'bool', [0, 0, 1, 1])));
    await compare('bool mul (and)', (b) => make(b, 'bool', [0, 1, 0, 1]).mul(make(b, 'bool', [0, 0, 1, 1])));
    await compare('bool sum', (b) => make(b, 'bool', [1, 0, 1, 1]).sum());
  });

  it("pow follows C's pow at the corners", async () => {
    const bases: number[] = [];
    const exps: number[] = [];
    const xs = [0, -0, 1, -1, 2, -2, 0.5, -8, Infinity, -Infinity, NaN];
    const ys = [0, -0, 1, -1, 2, 3, -3, 0.5, 1 / 3, Infinity, -Infinity, NaN];
    for (const x of xs) for (const y of ys) (bases.push(x), exps.push(y));
    await compare('pow tensor exponent', (b) => tg.pow(make(b, 'float32', bases), make(b, 'float32', exps)), 1e-6);
    for (const e of [2, 0.5, -0.5, 3, -1]) await compare(`pow scalar ${e}`, (b) => tg.pow(make(b, 'float32', xs), e), 1e-6);
  });

  it('conversions truncate toward zero, wrap past int32 and test bool as != 0', async () => {
    await compare('float32 → int32', (b) => make(b, 'float32', SPECIAL).to('int32'));
    await compare('float32 → bool', (b) => make(b, 'float32', SPECIAL).to('bool'));
    await compare('int32 → float32', (b) => make(b, 'int32', [16777217, -2147483648, 3]).to('float32'));
    await compare('bool → int32', (b) => make(b, 'bool', [1, 0]).to('int32'));
  });

  it('comparisons, where and maskedFill treat NaN as IEEE does', async () => {
    const a = [NaN, NaN, 1, -0, Infinity, 2];
    const c = [NaN, 1, NaN, 0, Infinity, 3];
    for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
      await compare(op, (b) => (tg as unknown as Record<string, (x: Tensor, y: Tensor) => Tensor>)[op]!(make(b, 'float32', a), make(b, 'float32', c)));
    }
    await compare('where', (b) => tg.where(make(b, 'bool', [1, 0, 1, 0, 1, 0]), make(b, 'float32', a), make(b, 'float32', c)));
    await compare('maskedFill -Infinity', (b) => make(b, 'float32', a).maskedFill(make(b, 'bool', [1, 0, 0, 1, 0, 1]), -Infinity));
    await compare('maskedFill int32 2.7', (b) => make(b, 'int32', [1, 2, 3]).maskedFill(make(b, 'bool', [1, 0, 1]), 2.7));
  });

  it('max/min/argmax/argmin: NaN propagates with its first index, ties keep the first', async () => {
    const rows = [1, 3, 3, 2, NaN, 5, NaN, 0, -1, -1, -1, -1];
    for (const dim of [0, 1, null] as const) {
      await compare(`max values dim ${dim}`, (b) => (dim === null ? make(b, 'float32', rows, [3, 4]).max() : make(b, 'float32', rows, [3, 4]).max(dim).values));
      await compare(`argmax dim ${dim}`, (b) => make(b, 'float32', rows, [3, 4]).argmax(dim === null ? undefined : dim));
      await compare(`argmin dim ${dim}`, (b) => make(b, 'float32', rows, [3, 4]).argmin(dim === null ? undefined : dim));
    }
    await compare('int32 argmax ties', (b) => make(b, 'int32', [4, 9, 9, 1, 9, 0], [2, 3]).argmax(1));
  });
});
