// Element-wise ops: forward values against plain float64 JavaScript, special values, gradients
// against hand-derived formulas (the PyTorch golden cases run in the conformance suite).
import { describe, expect, it } from 'vitest';
import { Tensor, abs, clamp, cos, div, eq, ge, gelu, getBackend, gt, le, leakyRelu, log, lt, maskedFill, memory, ne, neg, pow, relu, sigmoid, sign, sin, sqrt, square, sub, tanh, where, type DType, type Shape, type TypedArray } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { grad } from '@tensorgrad/autodiff';

// ---------------------------------------------------------------------------------------------
// helpers

const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;

function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Inputs made by {@link mk}, freed by {@link noLeak} (so tests may create operands inline). */
const made: Tensor[] = [];

/** A tensor from flat row-major data (independent of the `tensor()` creation function). */
function mk(data: readonly (number | boolean)[], shape: Shape = [data.length], dtype: DType = 'float64'): Tensor {
  const arr = new ARRAYS[dtype](data.length);
  data.forEach((v, i) => (arr[i] = typeof v === 'boolean' ? Number(v) : v));
  const t = fromArray(getBackend(), arr, shape, dtype);
  made.push(t);
  return t;
}

function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as TypedArray);
}

let seed = 12345;
/** Deterministic uniform numbers in [lo, hi). */
function rand(n: number, lo = -3, hi = 3): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(lo + ((seed >>> 8) / 2 ** 24) * (hi - lo));
  }
  return out;
}

function close(actual: number, expected: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

function expectClose(actual: readonly number[], expected: readonly number[], rtol = 1e-12, atol = 1e-12, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i]!, expected[i]!, rtol, atol)) {
      throw new Error(`${what} element ${i}: got ${actual[i]}, expected ${expected[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Index of the element of `shape` at row-major position `i` (for broadcasting by hand). */
function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** The element of `data` (row-major, `shape`) that broadcasting maps to index `idx` of the output. */
function bcast(data: readonly number[], shape: Shape, idx: readonly number[]): number {
  const off = idx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + (shape[d] === 1 ? 0 : idx[d + off]!);
  return data[flat]!;
}

/** Runs `fn` and checks it leaves no tensor alive besides the inputs it made with {@link mk}. */
function noLeak(fn: () => void): void {
  made.splice(0).forEach((t) => t.dispose());
  const before = memory().numTensors;
  fn();
  made.splice(0).forEach((t) => t.dispose());
  expect(memory().numTensors).toBe(before);
}

// ---------------------------------------------------------------------------------------------
// binary ops

describe('binary forward', () => {
  const binary: [string, (a: Tensor | number, b: Tensor | number) => Tensor, (a: number, b: number) => number][] = [
    ['sub', (a, b) => sub(a, b), (a, b) => a - b],
    ['div', (a, b) => div(a, b), (a, b) => a / b],
    ['pow', (a, b) => pow(a, b), (a, b) => Math.pow(a, b)],
  ];

  it.each(binary)('%s broadcasts [3,1] with [2,1,4] in float64 and float32', (_name, op, ref) => {
    noLeak(() => {
      for (const dtype of ['float64', 'float32'] as const) {
        const r = (x: number): number => (dtype === 'float32' ? Math.fround(x) : x);
        const ad = rand(3, 0.5, 3).map(r);
        const bd = rand(8, -2, 2).map(r);
        const a = mk(ad, [3, 1], dtype);
        const b = mk(bd, [2, 1, 4], dtype);
        const y = op(a, b);
        expect(y.shape).toEqual([2, 3, 4]);
        expect(y.dtype).toBe(dtype);
        const expected = Array.from({ length: 24 }, (_, i) => {
          const idx = unravel(i, [2, 3, 4]);
          return r(ref(bcast(ad, [3, 1], idx), bcast(bd, [2, 1, 4], idx)));
        });
        expectClose(values(y), expected, dtype === 'float32' ? 1e-7 : 1e-15, 0, _name);
        a.dispose();
        b.dispose();
        y.dispose();
      }
    });
  });

  it.each(binary)('%s takes a number on either side', (_name, op, ref) => {
    noLeak(() => {
      const xd = rand(5, 0.5, 2);
      const x = mk(xd);
      const y1 = op(x, 2.5);
      const y2 = op(1.5, x);
      expectClose(values(y1), xd.map((v) => ref(v, 2.5)), 1e-15);
      expectClose(values(y2), xd.map((v) => ref(1.5, v)), 1e-15);
      expect(y1.dtype).toBe('float64');
      [x, y1, y2].forEach((t) => t.dispose());
    });
  });

  it('sub with alpha computes input - alpha * other', () => {
    noLeak(() => {
      const a = mk([1, 2, 3]);
      const b = mk([10, 20, 30]);
      const y = sub(a, b, { alpha: 0.5 });
      expect(values(y)).toEqual([-4, -8, -12]);
      const z = a.sub(1, { alpha: 3 });
      expect(values(z)).toEqual([-2, -1, 0]);
      [a, b, y, z].forEach((t) => t.dispose());
    });
  });

  it('reads strided inputs (a transposed view) and zero-size tensors', () => {
    noLeak(() => {
      const ad = rand(6);
      const bd = rand(6, 1, 2);
      const a = mk(ad, [2, 3]);
      const at = a.transpose(0, 1); // [3, 2], element (i, j) = ad[j * 3 + i]
      const b = mk(bd, [3, 2]);
      const ys = [at.sub(b), at.div(b), at.lt(b)];
      const expected = (f: (x: number, y: number) => number): number[] =>
        Array.from({ length: 6 }, (_, k) => f(ad[(k % 2) * 3 + Math.floor(k / 2)]!, bd[k]!));
      expectClose(values(ys[0]!), expected((x, y) => x - y));
      expectClose(values(ys[1]!), expected((x, y) => x / y));
      expect(values(ys[2]!)).toEqual(expected((x, y) => (x < y ? 1 : 0)));
      const e = mk([], [0, 3]);
      const f = mk([1, 2, 3], [1, 3]);
      const z = div(e, f);
      expect(z.shape).toEqual([0, 3]);
      expect(values(z)).toEqual([]);
      [a, at, b, e, f, z, ...ys].forEach((t) => t.dispose());
    });
  });

  it('promotes int32 and bool like PyTorch', () => {
    noLeak(() => {
      const i = mk([7, -7, 3], [3], 'int32');
      const j = mk([2, 2, 0], [3], 'int32');
      const s = sub(i, j);
      expect(s.dtype).toBe('int32');
      expect(values(s)).toEqual([5, -9, 3]);
      const q = div(i, j); // true division gives float32
      expect(q.dtype).toBe('float32');
      expect(values(q)).toEqual([3.5, -3.5, Infinity]);
      const p = pow(i, 2);
      expect(p.dtype).toBe('int32');
      expect(values(p)).toEqual([49, 49, 9]);
      const pf = pow(i, 0.5);
      expect(pf.dtype).toBe('float32');
      expectClose(values(pf), [Math.fround(Math.sqrt(7)), NaN, Math.fround(Math.sqrt(3))], 0, 0);
      const sf = sub(i, 0.5);
      expect(sf.dtype).toBe('float32');
      expect(values(sf)).toEqual([6.5, -7.5, 2.5]);
      const b = mk([true, false, true], [3], 'bool');
      const sb = sub(b, 1);
      expect(sb.dtype).toBe('int32');
      expect(values(sb)).toEqual([0, -1, 0]);
      const f64 = mk([1, 2, 3]);
      const mix = sub(f64, i);
      expect(mix.dtype).toBe('float64');
      [i, j, s, q, p, pf, sf, b, sb, f64, mix].forEach((t) => t.dispose());
    });
  });

  it('div supports roundingMode trunc and floor', () => {
    noLeak(() => {
      const a = mk([7, -7, 7.5, -7.5, 0.5, -0.5, 1e17 + 64, -Infinity, NaN, 5]);
      const b = mk([2, 2, -2, 2, 1, 1, 1, 2, 1, 0]);
      const t = div(a, b, { roundingMode: 'trunc' });
      const f = a.div(b, { roundingMode: 'floor' });
      const av = values(a);
      const bv = values(b);
      expectClose(values(t), av.map((x, k) => Math.trunc(x / bv[k]!)), 0, 0, 'trunc');
      expectClose(values(f), av.map((x, k) => Math.floor(x / bv[k]!)), 0, 0, 'floor');
      expect(Object.is(values(t)[5], -0)).toBe(true);
      const a32 = mk([7.25, -7.25, 3e9, 1e-3], [4], 'float32');
      const f32 = div(a32, 2, { roundingMode: 'floor' });
      expect(f32.dtype).toBe('float32');
      expect(values(f32)).toEqual([3, -4, 1.5e9, 0]);
      const i = mk([7, -7, 9, -9], [4], 'int32');
      const fi = div(i, 2, { roundingMode: 'floor' });
      const d = mk([2, 2, -4, -4], [4], 'int32');
      const ti = div(i, d, { roundingMode: 'trunc' });
      expect(fi.dtype).toBe('int32');
      expect(values(fi)).toEqual([3, -4, 4, -5]);
      expect(values(ti)).toEqual([3, -3, -2, 2]);
      [a, b, t, f, a32, f32, i, d, fi, ti].forEach((x) => x.dispose());
    });
  });

  it('comparisons return bool, broadcast, and accept numbers', () => {
    noLeak(() => {
      const ad = [1, 2, NaN, 4, -0, 3];
      const a = mk(ad, [2, 3]);
      const b = mk([2, 2, NaN], [3]);
      const cmp: [(x: Tensor, y: Tensor | number) => Tensor, (x: number, y: number) => boolean][] = [
        [eq, (x, y) => x === y],
        [ne, (x, y) => x !== y],
        [lt, (x, y) => x < y],
        [le, (x, y) => x <= y],
        [gt, (x, y) => x > y],
        [ge, (x, y) => x >= y],
      ];
      for (const [op, ref] of cmp) {
        const y = op(a, b);
        expect(y.dtype).toBe('bool');
        expect(y.shape).toEqual([2, 3]);
        expect(values(y)).toEqual(ad.map((x, k) => (ref(x, [2, 2, NaN][k % 3]!) ? 1 : 0)));
        const z = op(a, 0);
        expect(values(z)).toEqual(ad.map((x) => (ref(x, 0) ? 1 : 0)));
        y.dispose();
        z.dispose();
      }
      // int32 against a fractional number compares in float32
      const i = mk([1, 2, 3], [3], 'int32');
      const g = i.gt(1.5);
      expect(values(g)).toEqual([0, 1, 1]);
      const m = i.eq(mk([true, false, true], [3], 'bool'));
      expect(values(m)).toEqual([1, 0, 0]);
      [a, b, i, g, m].forEach((t) => t.dispose());
    });
  });

  it('pow follows C pow for special values', () => {
    noLeak(() => {
      const x = mk([1, 1, -1, 0, 0, -8, 2, NaN, -2]);
      const e = mk([NaN, Infinity, Infinity, -1, 0, 1 / 3, 1024, 0, 3]);
      const y = pow(x, e);
      expect(values(y)).toEqual([1, 1, 1, Infinity, 1, NaN, Infinity, 1, -8]);
      const s = pow(mk([-Infinity, 4, -0]), 0.5); // sqrt semantics, like PyTorch's special case
      expect(values(s)).toEqual([NaN, 2, -0]);
      // rsqrt semantics for -0.5 (found by the property sweeps): torch.pow(torch.tensor([-inf, -0., 0., inf, -1., 4.]), -0.5)
      // is [nan, -inf, inf, 0, nan, 0.5], where C's pow gives +0 and +inf for -inf and -0
      const r = pow(mk([-Infinity, -0, 0, Infinity, -1, 4]), -0.5);
      expect(values(r)).toEqual([NaN, -Infinity, Infinity, 0, NaN, 0.5]);
      [x, e, y, s, r].forEach((t) => t.dispose());
    });
  });

  it('errors name the op and say how to fix', () => {
    const a = mk([1, 2, 3]);
    const b = mk([1, 2]);
    const bo = mk([true], [1], 'bool');
    const i = mk([1], [1], 'int32');
    expect(() => sub(a, b)).toThrow(/sub: shapes \[3\] and \[2\] cannot be broadcast/);
    expect(() => sub(bo, bo)).toThrow(/sub: not supported for two bool operands/);
    expect(() => pow(i, -1)).toThrow(/pow: integers to negative integer powers/);
    expect(() => div(a, 2, { roundingMode: 'round' as never })).toThrow(/div: expected roundingMode/);
    expect(() => lt(a, [1, 2, 3] as never)).toThrow(/lt: expected other to be a Tensor or a number/);
    [a, b, bo, i].forEach((t) => t.dispose());
  });
});

// ---------------------------------------------------------------------------------------------
// unary ops

describe('unary forward', () => {
  const stableSigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
  const unary: [string, (x: Tensor) => Tensor, (v: number) => number][] = [
    ['neg', neg, (v) => -v],
    ['abs', abs, Math.abs],
    ['log', log, Math.log],
    ['sqrt', sqrt, Math.sqrt],
    ['square', square, (v) => v * v],
    ['sin', sin, Math.sin],
    ['cos', cos, Math.cos],
    ['tanh', tanh, Math.tanh],
    ['sigmoid', sigmoid, stableSigmoid],
    ['relu', relu, (v) => Math.max(v, 0)],
    ['sign', sign, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0)],
    ['leakyRelu', (x) => leakyRelu(x), (v) => (v > 0 ? v : 0.01 * v)],
    ['leakyRelu 0.2', (x) => leakyRelu(x, { negativeSlope: 0.2 }), (v) => (v > 0 ? v : 0.2 * v)],
    ['gelu tanh', (x) => gelu(x, { approximate: 'tanh' }), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
    ['clamp', (x) => clamp(x, -0.5, 1), (v) => Math.min(Math.max(v, -0.5), 1)],
    ['clamp min', (x) => clamp(x, { min: 0.1 }), (v) => Math.max(v, 0.1)],
    ['clamp max', (x) => x.clamp(null, -0.2), (v) => Math.min(v, -0.2)],
  ];

  it.each(unary)('%s matches float64 JavaScript (float64, float32, strided)', (name, op, ref) => {
    noLeak(() => {
      const data = rand(12, name === 'log' || name === 'sqrt' ? 0.01 : -4, 4);
      for (const dtype of ['float64', 'float32'] as const) {
        const r = (x: number): number => (dtype === 'float32' ? Math.fround(x) : x);
        const d = data.map(r);
        const x = mk(d, [3, 4], dtype);
        const y = op(x);
        expect(y.dtype).toBe(dtype);
        expect(y.shape).toEqual([3, 4]);
        expectClose(values(y), d.map((v) => r(ref(v))), dtype === 'float32' ? 1e-7 : 1e-15, 1e-300, name);
        // transposed view: element (i, j) of x.T is d[j * 4 + i]
        const xt = x.transpose(0, 1);
        const yt = op(xt);
        expectClose(values(yt), Array.from({ length: 12 }, (_, k) => r(ref(d[(k % 3) * 4 + Math.floor(k / 3)]!))), dtype === 'float32' ? 1e-7 : 1e-15, 1e-300, `${name} strided`);
        [x, y, xt, yt].forEach((t) => t.dispose());
      }
      const e = mk([], [2, 0]);
      const ye = op(e);
      expect(ye.shape).toEqual([2, 0]);
      e.dispose();
      ye.dispose();
    });
  });

  it('gelu (exact) matches x·Φ(x) with Φ from normal tables to double precision', () => {
    noLeak(() => {
      // Φ(1), Φ(-1), Φ(2), Φ(-2), Φ(0.5), Φ(-3), Φ(0.25) to 20 digits
      const xs = [1, -1, 2, -2, 0.5, -3, 0.25, 0];
      const cdf = [0.84134474606854294859, 0.15865525393145705141, 0.9772498680518207928, 0.0227501319481792072, 0.69146246127401310364, 0.0013498980316300945267, 0.59870632568292372424, 0.5];
      const x = mk(xs);
      const y = gelu(x);
      expectClose(values(y), xs.map((v, k) => v * cdf[k]!), 1e-14, 1e-16);
      const x32 = mk(xs, [8], 'float32');
      const y32 = gelu(x32);
      expectClose(values(y32), xs.map((v, k) => v * cdf[k]!), 1e-6, 1e-7);
      // saturation: gelu(x) = x for large x, 0 for very negative x
      // (PyTorch's formula x/2·(1 + erf(x/√2)) loses the tiny negative tail to cancellation too)
      const xb = mk([10, 40, -40, -10]);
      const big = gelu(xb);
      expectClose(values(big), [10, 40, -0, -10 * 7.6198530241605260659e-24], 1e-15, 1e-15);
      [x, y, x32, y32, xb, big].forEach((t) => t.dispose());
    });
  });

  it('integer inputs: log/sqrt/sin/cos/tanh/sigmoid give float32; neg/abs/square/relu/sign/clamp keep int32', () => {
    noLeak(() => {
      const i = mk([-2, 0, 3], [3], 'int32');
      for (const op of [log, sqrt, sin, cos, tanh, sigmoid]) {
        const y = op(i);
        expect(y.dtype).toBe('float32');
        y.dispose();
      }
      const expectInt = (t: Tensor, v: number[]): void => {
        expect(t.dtype).toBe('int32');
        expect(values(t)).toEqual(v);
        t.dispose();
      };
      expectInt(neg(i), [2, 0, -3]);
      expectInt(abs(i), [2, 0, 3]);
      expectInt(square(i), [4, 0, 9]);
      expectInt(relu(i), [0, 0, 3]);
      expectInt(sign(i), [-1, 0, 1]);
      expectInt(clamp(i, -1, 2), [-1, 0, 2]);
      const cf = clamp(i, { min: 0.5 });
      expect(cf.dtype).toBe('float32');
      expect(values(cf)).toEqual([0.5, 0.5, 3]);
      const b = mk([true, false], [2], 'bool');
      const sq = square(b);
      expect(sq.dtype).toBe('int32');
      expect(values(sq)).toEqual([1, 0]);
      const sb = sign(b);
      expect(sb.dtype).toBe('bool');
      expect(() => neg(b)).toThrow(/neg: not defined for bool tensors/);
      expect(() => leakyRelu(i)).toThrow(/leakyRelu: expected a floating-point tensor, got int32/);
      expect(() => gelu(i)).toThrow(/gelu: expected a floating-point tensor/);
      [i, cf, b, sq, sb].forEach((t) => t.dispose());
    });
  });

  it('special values: log, sqrt, division by zero, sigmoid and tanh extremes, NaN propagation', () => {
    noLeak(() => {
      // exact except for the rounding of finite non-zero values
      const check = (t: Tensor, expected: number[]): void => {
        expectClose(values(t), expected, 1e-15, 0);
        t.dispose();
      };
      const x = mk([0, -0, -1, Infinity, NaN, 1]);
      check(log(x), [-Infinity, -Infinity, NaN, Infinity, NaN, 0]);
      check(sqrt(x), [0, -0, NaN, Infinity, NaN, 1]);
      check(div(mk([1, -1, 0, 1, -1]), mk([0, 0, 0, -0, Infinity])), [Infinity, -Infinity, NaN, -Infinity, -0]);
      const ext = mk([-1000, -100, -20, 0, 20, 100, 1000]);
      check(sigmoid(ext), [0, Math.exp(-100), 1 / (1 + Math.exp(20)), 0.5, 1 / (1 + Math.exp(-20)), 1, 1]);
      check(sigmoid(mk([-720, -745])), [Math.exp(-720), 5e-324]);
      const ext32 = mk([-1000, -100, 0, 100, 1000], [5], 'float32');
      check(sigmoid(ext32), [0, Math.fround(1 / (1 + Math.exp(100))), 0.5, 1, 1]);
      check(tanh(ext32), [-1, -1, 0, 1, 1]);
      const n = mk([NaN, -Infinity, Infinity]);
      check(relu(n), [NaN, 0, Infinity]);
      check(clamp(n, -1, 1), [NaN, -1, 1]);
      check(sign(n), [0, -1, 1]);
      check(abs(n), [NaN, Infinity, Infinity]);
      check(tanh(n), [NaN, -1, 1]);
      check(sigmoid(n), [NaN, 0, 1]);
      check(clamp(mk([0, 5]), 3, 1), [1, 1]); // min > max gives max
      [x, ext, ext32, n].forEach((t) => t.dispose());
    });
  });

  it('clamp requires a bound and accepts options, positional and method forms', () => {
    noLeak(() => {
      const x = mk([-2, 0, 2]);
      expect(() => clamp(x)).toThrow(/clamp: at least one of 'min' or 'max' must be given/);
      expect(() => clamp(x, { min: 'a' as never })).toThrow(/clamp: expected min to be a number/);
      const a = clamp(x, { max: 1 });
      const b = x.clamp({ min: -1, max: 1 });
      const c = x.clamp(-1);
      expect(values(a)).toEqual([-2, 0, 1]);
      expect(values(b)).toEqual([-1, 0, 1]);
      expect(values(c)).toEqual([-1, 0, 2]);
      [x, a, b, c].forEach((t) => t.dispose());
    });
  });
});

// ---------------------------------------------------------------------------------------------
// where / maskedFill

describe('where and maskedFill', () => {
  it('where broadcasts condition, input and other, with number operands', () => {
    noLeak(() => {
      const cd = [1, 0, 1];
      const xd = rand(4);
      const yd = rand(12);
      const c = mk(cd.map(Boolean), [3, 1], 'bool');
      const x = mk(xd, [1, 4]);
      const y = mk(yd, [3, 4]);
      const w = where(c, x, y);
      expect(w.shape).toEqual([3, 4]);
      expect(values(w)).toEqual(Array.from({ length: 12 }, (_, k) => (cd[Math.floor(k / 4)] ? xd[k % 4]! : yd[k]!)));
      const w2 = where(c, x, 0);
      expect(w2.dtype).toBe('float64');
      expect(values(w2)).toEqual(Array.from({ length: 12 }, (_, k) => (cd[Math.floor(k / 4)] ? xd[k % 4]! : 0)));
      const w3 = where(c, 1, 0);
      expect(w3.dtype).toBe('int32');
      expect(values(w3)).toEqual([1, 0, 1]);
      const w4 = where(c, 1.5, mk([1, 2], [2], 'int32'));
      expect(w4.dtype).toBe('float32');
      expect(values(w4)).toEqual([1.5, 1.5, 1, 2, 1.5, 1.5]);
      const w5 = x.where(mk([true, false, false, true], [4], 'bool'), -1);
      expect(values(w5)).toEqual([xd[0], -1, -1, xd[3]]);
      expect(() => where(x, x, y)).toThrow(/where: expected condition to be a bool tensor, got float64/);
      [c, x, y, w, w2, w3, w4, w5].forEach((t) => t.dispose());
    });
  });

  it('maskedFill broadcasts the mask, fills -Infinity, and keeps the dtype', () => {
    noLeak(() => {
      const xd = rand(6);
      const x = mk(xd, [2, 3]);
      const m = mk([true, false, true], [3], 'bool');
      const a = maskedFill(x, m, -Infinity);
      expect(values(a)).toEqual(xd.map((v, k) => (k % 3 !== 1 ? -Infinity : v)));
      const b = x.maskedFill(m, { value: 7 });
      expect(values(b)).toEqual(xd.map((v, k) => (k % 3 !== 1 ? 7 : v)));
      const xt = x.transpose(0, 1); // [3, 2]
      const mt = mk([true, false], [2], 'bool');
      const c = maskedFill(xt, mt, 0);
      expect(values(c)).toEqual([0, xd[3], 0, xd[4], 0, xd[5]]);
      const i = mk([1, 2, 3], [3], 'int32');
      const ci = maskedFill(i, m, 9);
      expect(ci.dtype).toBe('int32');
      expect(values(ci)).toEqual([9, 2, 9]);
      expect(() => maskedFill(x, mk([1, 0, 1], [3], 'int32'), 0)).toThrow(/maskedFill: expected mask to be a bool tensor/);
      expect(() => maskedFill(m, mk([true, false, true, true, true, true], [2, 3], 'bool'), 0)).toThrow(/maskedFill: mask of shape \[2,3\] cannot be broadcast/);
      [x, m, a, b, xt, mt, c, i, ci].forEach((t) => t.dispose());
    });
  });
});

// ---------------------------------------------------------------------------------------------
// gradients against hand-derived formulas (float64)

/** d(sum(fn(...inputs) * gOut)) / d(inputs) through the library. */
function vjp(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], gOut: Tensor): number[][] {
  const gs = grad((...xs) => fn(...xs).mul(gOut).sum(), inputs);
  const out = gs.map(values);
  gs.forEach((g) => g.dispose());
  return out;
}

describe('gradients', () => {
  const n = 6;

  const unaryGrads: [string, (x: Tensor) => Tensor, (v: number) => number, [number, number]][] = [
    ['neg', neg, () => -1, [-3, 3]],
    ['abs', abs, (v) => Math.sign(v), [-3, 3]],
    ['log', log, (v) => 1 / v, [0.1, 3]],
    ['sqrt', sqrt, (v) => 1 / (2 * Math.sqrt(v)), [0.1, 3]],
    ['square', square, (v) => 2 * v, [-3, 3]],
    ['sin', sin, (v) => Math.cos(v), [-3, 3]],
    ['cos', cos, (v) => -Math.sin(v), [-3, 3]],
    ['tanh', tanh, (v) => 1 - Math.tanh(v) ** 2, [-3, 3]],
    ['sigmoid', sigmoid, (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2, [-5, 5]],
    ['relu', relu, (v) => (v > 0 ? 1 : 0), [-3, 3]],
    ['leakyRelu', (x) => leakyRelu(x, { negativeSlope: 0.3 }), (v) => (v > 0 ? 1 : 0.3), [-3, 3]],
    ['clamp', (x) => clamp(x, -1, 1.5), (v) => (v >= -1 && v <= 1.5 ? 1 : 0), [-3, 3]],
    [
      'gelu tanh',
      (x) => gelu(x, { approximate: 'tanh' }),
      (v) => {
        const k = Math.sqrt(2 / Math.PI);
        const t = Math.tanh(k * (v + 0.044715 * v ** 3));
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * k * (1 + 3 * 0.044715 * v * v);
      },
      [-4, 4],
    ],
  ];

  it.each(unaryGrads)('%s', (_name, op, deriv, [lo, hi]) => {
    noLeak(() => {
      const xd = rand(n, lo, hi);
      const gd = rand(n);
      const x = mk(xd);
      const g = mk(gd);
      const [dx] = vjp(op, [x], g);
      expectClose(dx!, xd.map((v, k) => gd[k]! * deriv(v)), 1e-12, 1e-14, _name);
      x.dispose();
      g.dispose();
    });
  });

  it('gelu (exact): Φ(x) + x·φ(x), including x = 0', () => {
    noLeak(() => {
      const xs = [1, -1, 2, -2, 0.5, -3, 0];
      const cdf = [0.84134474606854294859, 0.15865525393145705141, 0.9772498680518207928, 0.0227501319481792072, 0.69146246127401310364, 0.0013498980316300945267, 0.5];
      const pdf = (v: number): number => Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
      const x = mk(xs);
      const g = mk(xs.map(() => 1));
      const [dx] = vjp((t) => gelu(t), [x], g);
      expectClose(dx!, xs.map((v, k) => cdf[k]! + v * pdf(v)), 1e-13, 1e-15);
      x.dispose();
      g.dispose();
    });
  });

  it('subgradients at kinks follow PyTorch: abs and relu 0 at 0, clamp 1 on the bounds', () => {
    noLeak(() => {
      const x = mk([0, -1, 1, 2]);
      const g = mk([1, 1, 1, 1]);
      expect(vjp(abs, [x], g)[0]).toEqual([0, -1, 1, 1]);
      expect(vjp(relu, [x], g)[0]).toEqual([0, 0, 1, 1]);
      expect(vjp((t) => leakyRelu(t, 0.1), [x], g)[0]).toEqual([0.1, 0.1, 1, 1]);
      expect(vjp((t) => clamp(t, -1, 1), [x], g)[0]).toEqual([1, 1, 1, 0]);
      expect(vjp((t) => clamp(t, { min: 0 }), [x], g)[0]).toEqual([1, 0, 1, 1]);
      x.dispose();
      g.dispose();
    });
  });

  it('sub, div and pow with broadcasting reduce to each input shape', () => {
    noLeak(() => {
      const ad = rand(3, 0.5, 2);
      const bd = rand(4, 0.5, 2);
      const gd = rand(12);
      const a = mk(ad, [3, 1]);
      const b = mk(bd, [4]);
      const g = mk(gd, [3, 4]);
      const sumRows = (f: (i: number, j: number) => number): number[] => ad.map((_, i) => bd.reduce((s, _b, j) => s + f(i, j), 0));
      const sumCols = (f: (i: number, j: number) => number): number[] => bd.map((_, j) => ad.reduce((s, _a, i) => s + f(i, j), 0));
      const G = (i: number, j: number): number => gd[i * 4 + j]!;

      let [da, db] = vjp((x, y) => sub(x, y, { alpha: 2 }), [a, b], g);
      expectClose(da!, sumRows(G));
      expectClose(db!, sumCols((i, j) => -2 * G(i, j)));

      [da, db] = vjp((x, y) => div(x, y), [a, b], g);
      expectClose(da!, sumRows((i, j) => G(i, j) / bd[j]!));
      expectClose(db!, sumCols((i, j) => (-G(i, j) * ad[i]!) / bd[j]! ** 2));

      [da, db] = vjp(pow, [a, b], g);
      expectClose(da!, sumRows((i, j) => G(i, j) * bd[j]! * ad[i]! ** (bd[j]! - 1)));
      expectClose(db!, sumCols((i, j) => G(i, j) * ad[i]! ** bd[j]! * Math.log(ad[i]!)));

      const [dp] = vjp((x) => pow(x, 3), [a], mk([1, 1, 1], [3, 1]));
      expectClose(dp!, ad.map((v) => 3 * v * v));
      [a, b, g].forEach((t) => t.dispose());
    });
  });

  it('pow gradients at zero: 0 for e == 0 and for d/de where x == 0, e >= 0', () => {
    noLeak(() => {
      const x = mk([0, 0, 2, 0]);
      const e = mk([0, 2, 0, -1]);
      const g = mk([1, 1, 1, 1]);
      const [dx, de] = vjp(pow, [x, e], g);
      expect(dx).toEqual([0, 0, 0, -Infinity]);
      expect(de!.slice(0, 3)).toEqual([0, 0, Math.log(2)]);
      expect(de![3]).toBe(-Infinity); // 0^-1 · log 0 = Infinity · -Infinity, as in PyTorch
      [x, e, g].forEach((t) => t.dispose());
    });
  });

  it('where and maskedFill route the gradient to the selected elements', () => {
    noLeak(() => {
      const c = mk([true, false, true], [3, 1], 'bool');
      const xd = rand(4);
      const yd = rand(12);
      const gd = rand(12);
      const x = mk(xd, [1, 4]);
      const y = mk(yd, [3, 4]);
      const g = mk(gd, [3, 4]);
      const [dx, dy] = vjp((p, q) => where(c, p, q), [x, y], g);
      expectClose(dx!, [0, 1, 2, 3].map((j) => gd[j]! + gd[8 + j]!));
      expectClose(dy!, gd.map((v, k) => (Math.floor(k / 4) === 1 ? v : 0)));
      const [dx0] = vjp((p) => where(c, p, 0), [y], g);
      expectClose(dx0!, gd.map((v, k) => (Math.floor(k / 4) === 1 ? 0 : v)));
      const m = mk([false, true, true, false], [4], 'bool');
      const [dm] = vjp((p) => maskedFill(p, m, -Infinity), [y], g);
      expectClose(dm!, gd.map((v, k) => (k % 4 === 1 || k % 4 === 2 ? 0 : v)));
      [c, x, y, g, m].forEach((t) => t.dispose());
    });
  });
});

