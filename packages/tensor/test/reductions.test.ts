import { describe, expect, it } from 'vitest';
import { argmax, argmin, getBackend, logSoftmax, max, mean, memory, min, softmax, std, tensor, tidy, var as variance, type DType, type Tensor, type TypedArray } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import '@tensorgrad/autodiff';

// ---------------------------------------------------------------------------------------------
// helpers: deterministic data, float64 reference loops, comparisons, leak checks

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `n` values in [-3, 3) rounded to float32, so float32 and float64 tensors see the same inputs. */
function randomData(n: number, seed = 1): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => Math.fround(r() * 6 - 3));
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function make(data: readonly number[], shape: readonly number[], dtype: DType = 'float32'): Tensor {
  const arr: TypedArray =
    dtype === 'float64' ? Float64Array.from(data) : dtype === 'int32' ? Int32Array.from(data) : dtype === 'bool' ? Uint8Array.from(data) : Float32Array.from(data);
  return fromArray(getBackend(), arr, shape, dtype);
}

/**
 * The lanes of a reduction along `dim` of a row-major array (all elements when `dim` is null),
 * in output order — an independent float64 reference for every reduction below.
 */
function lanes(data: readonly number[], shape: readonly number[], dim: number | null): number[][] {
  if (dim === null) return [[...data]];
  const len = shape[dim]!;
  const inner = size(shape.slice(dim + 1));
  const outer = size(shape.slice(0, dim));
  const out: number[][] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const lane: number[] = [];
      for (let k = 0; k < len; k++) lane.push(data[(o * len + k) * inner + j]!);
      out.push(lane);
    }
  }
  return out;
}

/** Applies a lane→lane map (softmax-like) and scatters the results back into row-major order. */
function mapLanes(data: readonly number[], shape: readonly number[], dim: number, fn: (lane: number[]) => number[]): number[] {
  const len = shape[dim]!;
  const inner = size(shape.slice(dim + 1));
  const out = new Array<number>(data.length);
  lanes(data, shape, dim).forEach((lane, i) => {
    const o = Math.floor(i / inner);
    const j = i % inner;
    fn(lane).forEach((v, k) => (out[(o * len + k) * inner + j] = v));
  });
  return out;
}

const refMax = (l: number[]): [number, number] => {
  let bi = 0;
  for (let k = 0; k < l.length; k++) {
    if (Number.isNaN(l[k]!)) return [NaN, k];
    if (l[k]! > l[bi]!) bi = k;
  }
  return [l[bi]!, bi];
};
const refMin = (l: number[]): [number, number] => {
  let bi = 0;
  for (let k = 0; k < l.length; k++) {
    if (Number.isNaN(l[k]!)) return [NaN, k];
    if (l[k]! < l[bi]!) bi = k;
  }
  return [l[bi]!, bi];
};
const refMean = (l: number[]): number => l.reduce((a, b) => a + b, 0) / l.length;
const refVar = (l: number[], correction = 1): number => {
  const m = refMean(l);
  return l.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(0, l.length - correction);
};
const refSoftmax = (l: number[]): number[] => {
  const m = Math.max(...l);
  const e = l.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const refLogSoftmax = (l: number[]): number[] => {
  const m = Math.max(...l);
  const ls = Math.log(l.reduce((a, v) => a + Math.exp(v - m), 0));
  return l.map((v) => v - m - ls);
};

function tol(dtype: DType): { rtol: number; atol: number } {
  return dtype === 'float64' ? { rtol: 1e-10, atol: 1e-10 } : { rtol: 1e-4, atol: 1e-6 };
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], dtype: DType = 'float32', what = ''): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const { rtol, atol } = tol(dtype);
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${what}[${i}]: got ${a}, expected ${e}`).toBe(true);
    } else {
      expect(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}[${i}]: got ${a}, expected ${e}`).toBe(true);
    }
  }
}

function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number>, Number);
}

/** Runs `fn` inside tidy and checks that no tensor or buffer outlives it. */
function noLeak(fn: () => void): void {
  const before = memory();
  tidy(fn);
  const after = memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBuffers).toBe(before.numBuffers);
}

/** The gradient of sum(f(x) * w) with respect to x (a fresh leaf with the given data). */
function gradOf(data: readonly number[], shape: readonly number[], dtype: DType, f: (x: Tensor) => Tensor, w?: readonly number[]): number[] {
  const x = make(data, shape, dtype).requiresGrad_();
  const y = f(x);
  const g = make(w ?? new Array(size(y.shape)).fill(1), y.shape, dtype);
  y.backward(g);
  const out = values(x.grad!);
  x.dispose();
  return out;
}

const shape3 = [2, 3, 4];
const data3 = randomData(24, 7);

// ---------------------------------------------------------------------------------------------

describe('mean', () => {
  it('matches float64 loops over all, one and several dims, keepdim and negative dims', () =>
    noLeak(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = make(data3, shape3, dtype);
        expectClose(values(mean(x)), [refMean(data3)], dtype, 'all');
        expect(mean(x).shape).toEqual([]);
        for (const d of [0, 1, 2]) {
          expectClose(values(x.mean(d)), lanes(data3, shape3, d).map(refMean), dtype, `dim ${d}`);
        }
        const k = mean(x, { dim: -1, keepdim: true });
        expect(k.shape).toEqual([2, 3, 1]);
        expectClose(values(k), lanes(data3, shape3, 2).map(refMean), dtype, 'dim -1 keepdim');
        // dims [0, 2]: average over the 8 elements sharing the middle index
        const m02 = x.mean([0, 2]);
        expect(m02.shape).toEqual([3]);
        const exp02 = [0, 1, 2].map((j) => refMean(data3.filter((_, i) => Math.floor(i / 4) % 3 === j)));
        expectClose(values(m02), exp02, dtype, 'dims [0,2]');
      }
    }));

  it('handles strided inputs, zero-size (NaN) and rejects integers', () =>
    noLeak(() => {
      const x = make(data3.slice(0, 12), [3, 4]);
      const t = x.transpose(0, 1); // [4, 3], non-contiguous
      const tData = [0, 1, 2, 3].flatMap((i) => [0, 1, 2].map((j) => data3[j * 4 + i]!));
      expectClose(values(t.mean(1)), lanes(tData, [4, 3], 1).map(refMean), 'float32', 'transposed');
      const e = make([], [0, 3]);
      expect(Number.isNaN(values(mean(e))[0]!)).toBe(true);
      expect(values(e.mean(0)).every(Number.isNaN)).toBe(true);
      expect(e.mean(0).shape).toEqual([3]);
      expect(() => mean(tensor([1, 2], { dtype: 'int32' }))).toThrow(/mean: expected a floating point input, got int32; use \.float\(\)/);
      expect(() => mean(x, 2)).toThrow(/mean: dimension out of range/);
    }));

  it('gradient is g / N broadcast over the reduced dims', () =>
    noLeak(() => {
      expectClose(gradOf(data3, shape3, 'float64', (x) => x.mean()), new Array(24).fill(1 / 24), 'float64');
      const w = randomData(6, 3);
      const g = gradOf(data3, shape3, 'float64', (x) => x.mean(2), w);
      expectClose(g, data3.map((_, i) => w[Math.floor(i / 4)]! / 4), 'float64');
      const g1 = gradOf(data3, shape3, 'float64', (x) => x.mean(1, true), randomData(8, 4));
      const w1 = randomData(8, 4);
      expectClose(g1, data3.map((_, i) => w1[Math.floor(i / 12) * 4 + (i % 4)]! / 3), 'float64');
    }));
});

describe('max / min', () => {
  it('without dim give a 0-d tensor; with dim { values, indices } like float64 loops', () =>
    noLeak(() => {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const data = dtype === 'int32' ? data3.map((v) => Math.round(v * 2)) : data3;
        const x = make(data, shape3, dtype);
        const mx = max(x);
        expect(mx.shape).toEqual([]);
        expect(mx.dtype).toBe(dtype);
        expectClose(values(mx), [refMax(data)[0]], 'float64', 'max all');
        expectClose(values(x.min()), [refMin(data)[0]], 'float64', 'min all');
        for (const d of [0, 1, 2, -1, -3]) {
          const nd = d < 0 ? d + 3 : d;
          for (const [op, ref] of [
            [max, refMax],
            [min, refMin],
          ] as const) {
            const r = op(x, d);
            const exp = lanes(data, shape3, nd).map(ref);
            expect(r.indices.dtype).toBe('int32');
            expect(r.values.dtype).toBe(dtype);
            expect(r.values.shape).toEqual(shape3.filter((_, i) => i !== nd));
            expectClose(values(r.values), exp.map((e) => e[0]), 'float64', `${op.name} dim ${d}`);
            expect(values(r.indices)).toEqual(exp.map((e) => e[1]));
            const k = op(x, { dim: d, keepdim: true });
            expect(k.values.shape).toEqual(shape3.map((s, i) => (i === nd ? 1 : s)));
            expect(values(k.indices)).toEqual(exp.map((e) => e[1]));
          }
        }
      }
    }));

  it('ties give the first index, NaN propagates, strided inputs and errors', () =>
    noLeak(() => {
      const t = tensor([
        [1, 3, 3, 0],
        [2, 2, 2, 2],
        [0, NaN, 5, NaN],
      ]);
      const r = t.max(1);
      expectClose(values(r.values), [3, 2, NaN], 'float32');
      expect(values(r.indices)).toEqual([1, 0, 1]);
      const m = t.min(1);
      expectClose(values(m.values), [0, 2, NaN], 'float32');
      expect(values(m.indices)).toEqual([3, 0, 1]);
      expect(Number.isNaN(values(t.max())[0]!)).toBe(true);
      // transposed (strided) input
      const x = make(data3.slice(0, 12), [3, 4]);
      const xt = x.transpose(0, 1);
      const tData = [0, 1, 2, 3].flatMap((i) => [0, 1, 2].map((j) => data3[j * 4 + i]!));
      const e = lanes(tData, [4, 3], 1).map(refMax);
      const rt = xt.max(1, true);
      expect(rt.values.shape).toEqual([4, 1]);
      expectClose(values(rt.values), e.map((v) => v[0]), 'float32');
      expect(values(rt.indices)).toEqual(e.map((v) => v[1]));
      expectClose(values(xt.max(0).values), lanes(tData, [4, 3], 0).map((l) => refMax(l)[0]), 'float32');
      // bool and 0-d
      expect(values(max(tensor([false, true, false])))).toEqual([1]);
      const s = max(tensor(4), 0);
      expect(s.values.shape).toEqual([]);
      expect(values(s.indices)).toEqual([0]);
      // zero-size: reducing a non-empty dim works, an empty one is an error
      const z = make([], [0, 3]);
      expect(z.max(1).values.shape).toEqual([0]);
      expect(() => z.max(0)).toThrow(/max: expected reduction dim 0 to have non-zero size/);
      expect(() => z.min()).toThrow(/min: cannot reduce an empty tensor/);
      expect(() => max(x, 2)).toThrow(/max: dimension out of range/);
      expect(() => (max as (a: Tensor, b: Tensor) => Tensor)(x, x)).toThrow(/element-wise form/);
    }));

  it('gradient with dim goes to the selected index only (first on ties)', () =>
    noLeak(() => {
      const data = [1, 3, 3, 0, 2, 2, 5, -1];
      const w = [10, 20];
      expectClose(gradOf(data, [2, 4], 'float64', (x) => x.max(1).values, w), [0, 10, 0, 0, 0, 0, 20, 0], 'float64');
      expectClose(gradOf(data, [2, 4], 'float64', (x) => x.min(1, true).values, w), [0, 0, 0, 10, 0, 0, 0, 20], 'float64');
      // along dim 0 of a [2, 4]: ties (2 vs 2 in column 1) pick row 0
      expectClose(
        gradOf(data, [2, 4], 'float64', (x) => x.max(0).values, [1, 2, 3, 4]),
        [0, 2, 0, 4, 1, 0, 3, 0],
        'float64',
      );
    }));

  it('gradient without dim is shared evenly among the tied extremes', () =>
    noLeak(() => {
      expectClose(gradOf([1, 3, 3, 0], [4], 'float64', (x) => x.max(), [6]), [0, 3, 3, 0], 'float64');
      expectClose(gradOf([1, 0, 3, 0, 0], [5], 'float64', (x) => x.min(), [6]), [0, 2, 0, 2, 2], 'float64');
    }));
});

describe('argmax / argmin', () => {
  it('index into the flattened tensor or along dim, int32, first on ties', () =>
    noLeak(() => {
      const ties = [1, 1, 1, 2, 2, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0];
      for (const dtype of ['int32', 'float32', 'float64'] as const) {
        const x = make(ties, [3, 5], dtype);
        const a = argmax(x);
        expect(a.shape).toEqual([]);
        expect(a.dtype).toBe('int32');
        expect(values(a)).toEqual([3]);
        expect(values(argmin(x))).toEqual([7]);
        expect(values(x.argmax(1))).toEqual(lanes(ties, [3, 5], 1).map((l) => refMax(l)[1]));
        expect(values(x.argmin(0))).toEqual(lanes(ties, [3, 5], 0).map((l) => refMin(l)[1]));
        const k = argmax(x, { dim: -1, keepdim: true });
        expect(k.shape).toEqual([3, 1]);
        expect(argmax(x, { keepdim: true }).shape).toEqual([1, 1]);
      }
      const x = make(data3, shape3);
      for (const d of [0, 1, 2]) {
        expect(values(argmax(x, d))).toEqual(lanes(data3, shape3, d).map((l) => refMax(l)[1]));
        expect(values(argmin(x, d))).toEqual(lanes(data3, shape3, d).map((l) => refMin(l)[1]));
      }
      // a permuted view is walked in place
      const p = x.permute([2, 0, 1]);
      const pData: number[] = [];
      for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) pData.push(data3[i * 12 + j * 4 + k]!);
      expect(values(argmax(p))).toEqual([refMax(pData)[1]]);
      expect(values(argmin(p, 2))).toEqual(lanes(pData, [4, 2, 3], 2).map((l) => refMin(l)[1]));
      expect(values(argmax(tensor([1, NaN, 5])))).toEqual([1]);
      expect(() => argmax(make([], [0]))).toThrow(/argmax: cannot reduce an empty tensor/);
      expect(() => argmin(make([], [2, 0]), 1)).toThrow(/argmin: expected reduction dim 1 to have non-zero size/);
    }));

  it('is not differentiable', () =>
    noLeak(() => {
      const x = make([1, 2], [2]).requiresGrad_();
      const a = x.argmax();
      expect(a.requiresGrad).toBe(false);
      x.dispose();
    }));
});

describe('var / std', () => {
  it('match two-pass float64 loops with unbiased, correction, dim and keepdim', () =>
    noLeak(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = make(data3, shape3, dtype);
        expectClose(values(variance(x)), [refVar(data3)], dtype, 'var all');
        expectClose(values(x.var(false)), [refVar(data3, 0)], dtype, 'var biased');
        expectClose(values(std(x)), [Math.sqrt(refVar(data3))], dtype, 'std all');
        expectClose(values(x.std({ unbiased: false })), [Math.sqrt(refVar(data3, 0))], dtype, 'std biased');
        for (const d of [0, 1, 2]) {
          expectClose(values(x.var(d)), lanes(data3, shape3, d).map((l) => refVar(l)), dtype, `var dim ${d}`);
          expectClose(values(x.std(d)), lanes(data3, shape3, d).map((l) => Math.sqrt(refVar(l))), dtype, `std dim ${d}`);
        }
        const k = std(x, { dim: -1, keepdim: true, correction: 2 });
        expect(k.shape).toEqual([2, 3, 1]);
        expectClose(values(k), lanes(data3, shape3, 2).map((l) => Math.sqrt(refVar(l, 2))), dtype, 'std correction 2');
        const v01 = variance(x, { dim: [0, 1], unbiased: false });
        const l01 = [0, 1, 2, 3].map((j) => data3.filter((_, i) => i % 4 === j));
        expectClose(values(v01), l01.map((l) => refVar(l, 0)), dtype, 'var dims [0,1]');
      }
    }));

  it('edge cases: N - correction <= 0, zero-size, strided, errors', () =>
    noLeak(() => {
      expect(Number.isNaN(values(tensor([5]).var())[0]!)).toBe(true);
      expect(Number.isNaN(values(tensor(5).std())[0]!)).toBe(true);
      expect(values(tensor([5]).var(false))).toEqual([0]);
      expect(values(make([], [0, 2]).var()).every(Number.isNaN)).toBe(true);
      const x = make(data3.slice(0, 12), [3, 4]).transpose(0, 1);
      const tData = [0, 1, 2, 3].flatMap((i) => [0, 1, 2].map((j) => data3[j * 4 + i]!));
      expectClose(values(x.var(1)), lanes(tData, [4, 3], 1).map((l) => refVar(l)), 'float32', 'strided var');
      expect(() => std(tensor([1, 2], { dtype: 'int32' }))).toThrow(/std: expected a floating point input, got int32/);
      expect(() => variance(tensor([1, 2]), { unbiased: true, correction: 0 })).toThrow(/either unbiased or correction/);
    }));

  it('gradients: var 2(x - mean)/(N - c)·g, std var\'/(2 std), zero where std = 0', () =>
    noLeak(() => {
      const data = randomData(12, 9);
      const w = randomData(3, 10);
      const ls = lanes(data, [3, 4], 1);
      const expVar = data.map((v, i) => {
        const l = ls[Math.floor(i / 4)]!;
        return (2 * (v - refMean(l)) * w[Math.floor(i / 4)]!) / (4 - 1);
      });
      expectClose(gradOf(data, [3, 4], 'float64', (x) => x.var(1), w), expVar, 'float64', 'var grad');
      const expStd = data.map((v, i) => {
        const l = ls[Math.floor(i / 4)]!;
        return ((v - refMean(l)) * w[Math.floor(i / 4)]!) / ((4 - 1) * Math.sqrt(refVar(l)));
      });
      expectClose(gradOf(data, [3, 4], 'float64', (x) => x.std(1, true), w), expStd, 'float64', 'std grad');
      const expBiased = data.map((v, i) => {
        const l = ls[Math.floor(i / 4)]!;
        return ((v - refMean(l)) * w[Math.floor(i / 4)]!) / (4 * Math.sqrt(refVar(l, 0)));
      });
      expectClose(gradOf(data, [3, 4], 'float64', (x) => x.std({ dim: 1, unbiased: false }), w), expBiased, 'float64', 'std biased grad');
      expectClose(gradOf([2, 2, 2], [3], 'float64', (x) => x.std()), [0, 0, 0], 'float64', 'std zero');
    }));
});

describe('softmax / logSoftmax', () => {
  it('match float64 loops along every dim, for contiguous and strided inputs', () =>
    noLeak(() => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = make(data3, shape3, dtype);
        for (const d of [0, 1, 2, -1]) {
          const nd = d < 0 ? d + 3 : d;
          const s = softmax(x, d);
          expect(s.shape).toEqual(shape3);
          expect(s.dtype).toBe(dtype);
          expectClose(values(s), mapLanes(data3, shape3, nd, refSoftmax), dtype, `softmax dim ${d}`);
          expectClose(values(x.logSoftmax({ dim: d })), mapLanes(data3, shape3, nd, refLogSoftmax), dtype, `logSoftmax dim ${d}`);
        }
        const p = x.permute([2, 0, 1]);
        const pData: number[] = [];
        for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) pData.push(data3[i * 12 + j * 4 + k]!);
        for (const d of [0, 1, 2]) {
          expectClose(values(p.softmax(d)), mapLanes(pData, [4, 2, 3], d, refSoftmax), dtype, `strided softmax dim ${d}`);
          expectClose(values(logSoftmax(p, d)), mapLanes(pData, [4, 2, 3], d, refLogSoftmax), dtype, `strided logSoftmax dim ${d}`);
        }
      }
    }));

  it('is stable and follows PyTorch on infinities, 0-d and zero-size inputs', () =>
    noLeak(() => {
      expectClose(values(softmax(tensor([1000, 1001, 1002]), 0)), refSoftmax([0, 1, 2]), 'float32', 'large');
      expectClose(values(logSoftmax(tensor([-1000, -1001]), 0)), refLogSoftmax([0, -1]), 'float32', 'large negative');
      const t = tensor([
        [-Infinity, 0, 1],
        [-Infinity, -Infinity, -Infinity],
      ]);
      const s = values(softmax(t, 1));
      expectClose(s.slice(0, 3), [0, ...refSoftmax([0, 1])], 'float32');
      expect(s.slice(3).every(Number.isNaN)).toBe(true);
      const l = values(logSoftmax(t, 1));
      expectClose(l.slice(0, 3), [-Infinity, ...refLogSoftmax([0, 1])], 'float32');
      expect(l.slice(3).every(Number.isNaN)).toBe(true);
      expect(values(softmax(tensor(3), 0))).toEqual([1]);
      expect(values(logSoftmax(tensor(3), -1))).toEqual([0]);
      expect(softmax(make([], [0, 3]), 1).shape).toEqual([0, 3]);
      expect(() => softmax(tensor([1, 2], { dtype: 'int32' }), 0)).toThrow(/softmax: expected a floating point input, got int32/);
      expect(() => (softmax as (x: Tensor) => Tensor)(tensor([1]))).toThrow(/softmax: missing required argument dim/);
      expect(() => logSoftmax(tensor([1]), 1)).toThrow(/logSoftmax: dimension out of range/);
    }));

  it('gradients: y(g - Σg·y) and g - exp(y)Σg', () =>
    noLeak(() => {
      const data = randomData(12, 11);
      const w = randomData(12, 12);
      for (const d of [0, 1]) {
        const g = mapLanes(
          data.map((v, i) => i),
          [3, 4],
          d,
          (idx) => {
            const y = refSoftmax(idx.map((i) => data[i]!));
            const gw = idx.map((i) => w[i]!);
            const dot = y.reduce((a, yi, k) => a + yi * gw[k]!, 0);
            return y.map((yi, k) => yi * (gw[k]! - dot));
          },
        );
        expectClose(gradOf(data, [3, 4], 'float64', (x) => x.softmax(d), w), g, 'float64', `softmax grad dim ${d}`);
        const gl = mapLanes(
          data.map((v, i) => i),
          [3, 4],
          d,
          (idx) => {
            const y = refSoftmax(idx.map((i) => data[i]!));
            const gs = idx.reduce((a, i) => a + w[i]!, 0);
            return idx.map((i, k) => w[i]! - y[k]! * gs);
          },
        );
        expectClose(gradOf(data, [3, 4], 'float64', (x) => x.logSoftmax(d), w), gl, 'float64', `logSoftmax grad dim ${d}`);
      }
    }));
});

