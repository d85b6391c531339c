// matmul / mm / bmm and the CPU GEMM: values against a naive float64 triple loop (odd sizes,
// transposed and strided operands, broadcast batches, int32, empty tensors), gradients against
// the formulas dA = g·Bᵀ, dB = Aᵀ·g and error messages (the PyTorch golden cases run in the conformance suite).
import { describe, expect, it } from 'vitest';
import { Tensor, bmm, getBackend, matmul, memory, mm, type DType, type Shape, type TypedArray } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import { matmulInto } from '@tensorgrad/backend-cpu';
import { grad } from '@tensorgrad/autodiff';

// ---------------------------------------------------------------------------------------------
// helpers

const ARRAYS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;

const made: Tensor[] = [];

/** A tensor from flat row-major data (independent of the `tensor()` creation function). */
function mk(data: readonly number[], shape: Shape, dtype: DType = 'float64'): Tensor {
  const arr = new ARRAYS[dtype](data.length);
  data.forEach((v, i) => (arr[i] = v));
  const t = fromArray(getBackend(), arr, shape, dtype);
  made.push(t);
  return t;
}

function values(t: Tensor): number[] {
  return Array.from(t.dataSync() as TypedArray);
}

let seed = 987654;
function rand(n: number, lo = -2, hi = 2): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out.push(lo + ((seed >>> 8) / 2 ** 24) * (hi - lo));
  }
  return out;
}
function randInt(n: number, lo = -9, hi = 9): number[] {
  return rand(n, lo, hi + 1).map(Math.floor);
}

const size = (s: Shape): number => s.reduce((a, b) => a * b, 1);

function noLeak(fn: () => void): void {
  made.splice(0).forEach((t) => t.dispose());
  const before = memory().numTensors;
  fn();
  made.splice(0).forEach((t) => t.dispose());
  expect(memory().numTensors).toBe(before);
}

/**
 * PyTorch's matmul in plain float64 loops on row-major data: 1-D promotion, broadcast batch dims.
 * Also returns Σ|a·b| per output element (the scale for float32 tolerances).
 */
function refMatmul(ad: readonly number[], as: Shape, bd: readonly number[], bs: Shape): { data: number[]; mag: number[]; shape: number[] } {
  const aS = as.length === 1 ? [1, as[0]!] : [...as];
  const bS = bs.length === 1 ? [bs[0]!, 1] : [...bs];
  const M = aS[aS.length - 2]!;
  const K = aS[aS.length - 1]!;
  const N = bS[bS.length - 1]!;
  const ab = aS.slice(0, -2);
  const bb = bS.slice(0, -2);
  const nd = Math.max(ab.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < nd; i++) {
    const x = ab[i - (nd - ab.length)] ?? 1;
    const y = bb[i - (nd - bb.length)] ?? 1;
    batch.push(x === 1 ? y : x);
  }
  const nb = size(batch);
  const data: number[] = [];
  const mag: number[] = [];
  const flatIn = (shape: number[], idx: number[]): number => {
    let f = 0;
    const off = idx.length - shape.length;
    for (let d = 0; d < shape.length; d++) f = f * shape[d]! + (shape[d] === 1 ? 0 : idx[d + off]!);
    return f;
  };
  for (let t = 0; t < nb; t++) {
    const idx: number[] = [];
    let r = t;
    for (let d = batch.length - 1; d >= 0; d--) {
      idx[d] = r % batch[d]!;
      r = Math.floor(r / batch[d]!);
    }
    const ao = flatIn(ab, idx) * M * K;
    const bo = flatIn(bb, idx) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let m = 0;
        for (let p = 0; p < K; p++) {
          const v = ad[ao + i * K + p]! * bd[bo + p * N + j]!;
          s += v;
          m += Math.abs(v);
        }
        data.push(s);
        mag.push(m);
      }
    }
  }
  const shape = [...batch];
  if (as.length > 1) shape.push(M);
  if (bs.length > 1) shape.push(N);
  return { data, mag, shape };
}

function expectMatClose(actual: readonly number[], ref: { data: number[]; mag: number[] }, dtype: DType, what: string): void {
  expect(actual.length, `${what} length`).toBe(ref.data.length);
  const rel = dtype === 'float32' ? 2e-6 : dtype === 'float64' ? 1e-13 : 0;
  for (let i = 0; i < ref.data.length; i++) {
    const tol = rel * ref.mag[i]! + (dtype === 'float32' ? 1e-6 : 0);
    if (!(Math.abs(actual[i]! - ref.data[i]!) <= tol)) {
      throw new Error(`${what} element ${i}: got ${actual[i]}, expected ${ref.data[i]} (tol ${tol})`);
    }
  }
}

const round = (dtype: DType) => (x: number): number => (dtype === 'float32' ? Math.fround(x) : x);

// ---------------------------------------------------------------------------------------------
// the GEMM core

describe('matmulInto', () => {
  const sizes = [1, 3, 5, 17, 33, 65, 130];
  const triples: [number, number, number][] = [];
  for (const m of sizes) for (const k of [1, 5, 33, 130]) triples.push([m, sizes[(m * 7 + k) % sizes.length]!, k]);
  triples.push([64, 64, 64], [128, 129, 300], [97, 260, 513], [4, 4, 4], [130, 2, 130], [2, 130, 130]);

  it.each(triples)('float64 %i×%i (k=%i) with every transpose combination', (m, n, k) => {
    const A = rand(m * k);
    const B = rand(k * n);
    const ref = refMatmul(A, [m, k], B, [k, n]);
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        // store A (or Aᵀ) with a leading pad so offsets are exercised too
        const aArr = new Float64Array(3 + m * k);
        for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) aArr[3 + (ta ? p * m + i : i * k + p)] = A[i * k + p]!;
        const bArr = new Float64Array(1 + k * n);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bArr[1 + (tb ? j * k + p : p * n + j)] = B[p * n + j]!;
        const c = new Float64Array(m * n);
        matmulInto(
          m, n, k,
          { data: aArr, offset: 3, rowStride: ta ? 1 : k, colStride: ta ? m : 1 },
          { data: bArr, offset: 1, rowStride: tb ? 1 : n, colStride: tb ? k : 1 },
          { data: c, offset: 0, rowStride: n, colStride: 1 },
        );
        expectMatClose(Array.from(c), ref, 'float64', `ta=${ta} tb=${tb}`);
      }
    }
  });

  it.each(triples.filter((_, i) => i % 3 === 0))('float32 %i×%i (k=%i), column-major C, accumulate', (m, n, k) => {
    const A = rand(m * k).map(Math.fround);
    const B = rand(k * n).map(Math.fround);
    const C0 = rand(m * n).map(Math.fround);
    const ref = refMatmul(A, [m, k], B, [k, n]);
    const c = new Float32Array(C0);
    // C stored column-major: rowStride 1, colStride m
    const cm = new Float32Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) cm[j * m + i] = c[i * n + j]!;
    matmulInto(
      m, n, k,
      { data: Float32Array.from(A), offset: 0, rowStride: k, colStride: 1 },
      { data: Float32Array.from(B), offset: 0, rowStride: n, colStride: 1 },
      { data: cm, offset: 0, rowStride: 1, colStride: m },
      true,
    );
    const got: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) got.push(cm[j * m + i]! - C0[i * n + j]!);
    expectMatClose(got, { data: ref.data, mag: ref.mag.map((v, i) => v + 2 * Math.abs(C0[i]!)) }, 'float32', 'accumulate');
  });

  it('int32 is exact and wraps like 32-bit integer arithmetic', () => {
    const a = new Int32Array([1, 2, 3, 4, 5, 6]);
    const b = new Int32Array([7, 8, 9, 10, 11, 12]);
    const c = new Int32Array(4);
    const op = (data: Int32Array, rs: number) => ({ data, offset: 0, rowStride: rs, colStride: 1 });
    matmulInto(2, 2, 3, op(a, 3), op(b, 2), op(c, 2));
    expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    const big = new Int32Array([65536, 65536]);
    const one = new Int32Array(1);
    matmulInto(1, 1, 2, op(big, 2), { data: big, offset: 0, rowStride: 1, colStride: 1 }, op(one, 1));
    expect(one[0]).toBe(0); // 2·2^32 wraps to 0
  });

  it('k = 0 zero-fills C (and leaves it when accumulating)', () => {
    const c = new Float64Array([1, 2, 3, 4]);
    const e = new Float64Array(0);
    const op = (data: Float64Array) => ({ data, offset: 0, rowStride: 2, colStride: 1 });
    matmulInto(2, 2, 0, op(e), op(e), op(c), true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    matmulInto(2, 2, 0, op(e), op(e), op(c));
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });
});

// ---------------------------------------------------------------------------------------------
// front-end values

describe('matmul values', () => {
  const shapes: [Shape, Shape][] = [
    [[4], [4]],
    [[1], [1]],
    [[3, 4], [4]],
    [[4], [4, 5]],
    [[1, 1], [1, 1]],
    [[3, 5], [5, 17]],
    [[17, 33], [33, 65]],
    [[65, 130], [130, 33]],
    [[130, 17], [17, 130]],
    [[2, 3, 4], [4]],
    [[4], [2, 4, 5]],
    [[2, 3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [3, 4, 2]],
    [[2, 1, 5, 3], [1, 3, 3, 7]],
    [[3, 17, 33], [33, 5]],
    [[5, 33], [2, 3, 33, 17]],
    [[2, 1, 1, 9, 4], [3, 1, 4, 6]],
  ];

  it.each(shapes.map((s) => [JSON.stringify(s[0]), JSON.stringify(s[1]), s] as const))('%s · %s in float64 and float32', (_a, _b, [as, bs]) => {
    noLeak(() => {
      for (const dtype of ['float64', 'float32'] as const) {
        const ad = rand(size(as)).map(round(dtype));
        const bd = rand(size(bs)).map(round(dtype));
        const ref = refMatmul(ad, as, bd, bs);
        const y = matmul(mk(ad, as, dtype), mk(bd, bs, dtype));
        expect(y.shape).toEqual(ref.shape);
        expect(y.dtype).toBe(dtype);
        expectMatClose(values(y), ref, dtype, dtype);
        y.dispose();
      }
    });
  });

  it('int32 operands give exact int32 results', () => {
    noLeak(() => {
      for (const [as, bs] of [[[5, 7], [7, 3]], [[2, 33, 17], [17, 65]], [[6], [6]]] as [Shape, Shape][]) {
        const ad = randInt(size(as));
        const bd = randInt(size(bs));
        const y = matmul(mk(ad, as, 'int32'), mk(bd, bs, 'int32'));
        expect(y.dtype).toBe('int32');
        expect(values(y)).toEqual(refMatmul(ad, as, bd, bs).data);
        y.dispose();
      }
    });
  });

  it('reads transposed, strided and expanded operands without copies being visible', () => {
    noLeak(() => {
      const m = 33;
      const k = 17;
      const n = 65;
      const ad = rand(m * k);
      const bd = rand(k * n);
      // stored transposed, viewed back through swapped strides
      const aT = mk(ad.map((_, idx) => ad[(idx % m) * k + Math.floor(idx / m)]!), [k, m]);
      const bT = mk(bd.map((_, idx) => bd[(idx % k) * n + Math.floor(idx / k)]!), [n, k]);
      const a = aT._view([m, k], [1, m], 0);
      const b = bT._view([k, n], [1, k], 0);
      made.push(a, b);
      const ref = refMatmul(ad, [m, k], bd, [k, n]);
      const y = matmul(a, b);
      expectMatClose(values(y), ref, 'float64', 'transposed');
      y.dispose();
      // every other column of a wider matrix, starting at an offset
      const wide = mk(rand(1 + m * 2 * k), [1 + m * 2 * k]);
      const wd = values(wide);
      const sa = wide._view([m, k], [2 * k, 2], 1);
      made.push(sa);
      const sad: number[] = [];
      for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) sad.push(wd[1 + i * 2 * k + 2 * p]!);
      const y2 = matmul(sa, mk(bd, [k, n]));
      expectMatClose(values(y2), refMatmul(sad, [m, k], bd, [k, n]), 'float64', 'strided');
      y2.dispose();
      // one matrix expanded over a batch through a zero stride
      const w = mk(bd, [k, n]);
      const we = w._view([4, k, n], [0, n, 1], 0);
      made.push(we);
      const xd = rand(4 * m * k);
      const y3 = matmul(mk(xd, [4, m, k]), we);
      const wrep = [...bd, ...bd, ...bd, ...bd];
      expectMatClose(values(y3), refMatmul(xd, [4, m, k], wrep, [4, k, n]), 'float64', 'expanded');
      y3.dispose();
    });
  });

  it('handles empty tensors: K = 0 gives zeros, M/N/batch = 0 give empty results', () => {
    noLeak(() => {
      const y = matmul(mk([], [2, 0]), mk([], [0, 3]));
      expect(y.shape).toEqual([2, 3]);
      expect(values(y)).toEqual([0, 0, 0, 0, 0, 0]);
      const d = matmul(mk([], [0], 'float32'), mk([], [0], 'float32'));
      expect(d.shape).toEqual([]);
      expect(values(d)).toEqual([0]);
      const e = matmul(mk([], [0, 4]), mk(rand(12), [4, 3]));
      expect(e.shape).toEqual([0, 3]);
      const f = matmul(mk([], [0, 2, 4]), mk(rand(12), [4, 3]));
      expect(f.shape).toEqual([0, 2, 3]);
      [y, d, e, f].forEach((t) => t.dispose());
    });
  });

  it('mm and bmm match matmul and work as methods', () => {
    noLeak(() => {
      const ad = rand(15);
      const bd = rand(20);
      const y = mm(mk(ad, [3, 5]), mk(bd, [5, 4]));
      expectMatClose(values(y), refMatmul(ad, [3, 5], bd, [5, 4]), 'float64', 'mm');
      const z = mk(ad, [3, 5]).mm(mk(bd, [5, 4]));
      expect(values(z)).toEqual(values(y));
      const cd = rand(2 * 3 * 5);
      const dd = rand(2 * 5 * 4);
      const w = bmm(mk(cd, [2, 3, 5]), mk(dd, [2, 5, 4]));
      expect(w.shape).toEqual([2, 3, 4]);
      expectMatClose(values(w), refMatmul(cd, [2, 3, 5], dd, [2, 5, 4]), 'float64', 'bmm');
      const v = mk(cd, [2, 3, 5]).bmm(mk(dd, [2, 5, 4]));
      expect(values(v)).toEqual(values(w));
      [y, z, w, v].forEach((t) => t.dispose());
    });
  });
});

describe('errors', () => {
  it('says which dims are not aligned', () => {
    noLeak(() => {
      expect(() => matmul(mk(rand(6), [2, 3]), mk(rand(20), [4, 5]))).toThrow(
        'matmul: shapes [2,3] and [4,5] are not aligned: 3 (dim 1) != 4 (dim 0)',
      );
      expect(() => matmul(mk(rand(3), [3]), mk(rand(4), [4]))).toThrow('matmul: shapes [3] and [4] are not aligned: 3 (dim 0) != 4 (dim 0)');
      expect(() => matmul(mk(rand(24), [2, 3, 4]), mk(rand(15), [3, 5]))).toThrow('4 (dim 2) != 3 (dim 0)');
      expect(() => matmul(mk(rand(24), [2, 3, 4]), mk(rand(60), [3, 4, 5]))).toThrow(/matmul: shapes \[2\] and \[3\] cannot be broadcast/);
      expect(() => mm(mk(rand(6), [2, 3]), mk(rand(20), [4, 5]))).toThrow('mm: shapes [2,3] and [4,5] are not aligned: 3 (dim 1) != 4 (dim 0)');
    });
  });

  it('rejects 0-d operands, mixed dtypes and bool', () => {
    noLeak(() => {
      expect(() => matmul(mk([2], []), mk(rand(3), [3]))).toThrow(/matmul: both arguments need to be at least 1-D/);
      expect(() => matmul(mk(rand(4), [2, 2], 'float32'), mk(rand(4), [2, 2], 'float64'))).toThrow(
        /matmul: expected both operands to have the same dtype, got float32 and float64/,
      );
      expect(() => matmul(mk([1, 0], [2], 'bool'), mk([1, 1], [2], 'bool'))).toThrow(/matmul: not supported for bool/);
      expect(() => matmul(mk([1], [1]), [1] as unknown as Tensor)).toThrow(/matmul: expected other to be a Tensor/);
    });
  });

  it('mm needs 2-D operands, bmm 3-D with equal batch', () => {
    noLeak(() => {
      expect(() => mm(mk(rand(3), [3]), mk(rand(6), [3, 2]))).toThrow('mm: expected two 2-D matrices, got shapes [3] and [3,2]');
      expect(() => mm(mk(rand(4), [2, 2], 'float64'), mk(rand(4), [2, 2], 'float32'))).toThrow(/mm: expected both operands to have the same dtype/);
      expect(() => bmm(mk(rand(6), [2, 3]), mk(rand(6), [3, 2]))).toThrow(/bmm: expected two 3-D tensors/);
      expect(() => bmm(mk(rand(12), [2, 2, 3]), mk(rand(18), [3, 3, 2]))).toThrow('bmm: batch sizes differ: 2');
      expect(() => bmm(mk(rand(12), [2, 2, 3]), mk(rand(16), [2, 4, 2]))).toThrow('bmm: shapes [2,2,3] and [2,4,2] are not aligned: 3 (dim 2) != 4 (dim 1)');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// gradients against the formulas, computed with the reference loops

/** Transposes the last two dims of row-major data. */
function tr(d: readonly number[], shape: Shape): { data: number[]; shape: number[] } {
  const r = shape[shape.length - 2]!;
  const c = shape[shape.length - 1]!;
  const out: number[] = [];
  for (let b = 0; b < d.length / (r * c); b++) for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out.push(d[b * r * c + i * c + j]!);
  return { data: out, shape: [...shape.slice(0, -2), c, r] };
}

/** Sums row-major `d` of `shape` down to `target` (broadcast reduction). */
function sumTo(d: readonly number[], shape: Shape, target: Shape): number[] {
  const out = new Array<number>(size(target)).fill(0);
  const off = shape.length - target.length;
  for (let i = 0; i < d.length; i++) {
    let r = i;
    let f = 0;
    let mul = 1;
    for (let dd = shape.length - 1; dd >= 0; dd--) {
      const idx = r % shape[dd]!;
      r = Math.floor(r / shape[dd]!);
      const td = dd - off;
      if (td >= 0) {
        f += (target[td] === 1 ? 0 : idx) * mul;
        mul *= target[td]!;
      }
    }
    out[f] = out[f]! + d[i]!;
  }
  return out;
}

describe('gradients', () => {
  const cases: [Shape, Shape][] = [
    [[3, 4], [4, 5]],
    [[4], [4]],
    [[3, 4], [4]],
    [[4], [4, 5]],
    [[2, 3, 4], [4]],
    [[4], [2, 4, 5]],
    [[2, 3, 4], [2, 4, 5]],
    [[2, 1, 3, 4], [3, 4, 2]],
    [[2, 3, 4], [4, 5]],
    [[3, 4], [2, 4, 5]],
    [[17, 33], [33, 5]],
  ];

  it.each(cases.map((s) => [JSON.stringify(s[0]), JSON.stringify(s[1]), s] as const))('matmul %s · %s', (_a, _b, [as, bs]) => {
    noLeak(() => {
      const ad = rand(size(as));
      const bd = rand(size(bs));
      const out = refMatmul(ad, as, bd, bs);
      const gd = rand(out.data.length);
      // promote vectors as matmul does, so dA = g·Bᵀ and dB = Aᵀ·g are plain batched products
      const A = as.length === 1 ? [1, as[0]!] : [...as];
      const B = bs.length === 1 ? [bs[0]!, 1] : [...bs];
      const M = A[A.length - 2]!;
      const N = B[B.length - 1]!;
      const G = [...out.shape.slice(0, out.shape.length - (as.length > 1 ? 1 : 0) - (bs.length > 1 ? 1 : 0)), M, N];
      const bT = tr(bd, B);
      const dAfull = refMatmul(gd, G, bT.data, bT.shape);
      const aT = tr(ad, A);
      const dBfull = refMatmul(aT.data, aT.shape, gd, G);
      const dA = sumTo(dAfull.data, dAfull.shape, A);
      const dB = sumTo(dBfull.data, dBfull.shape, B);
      const [ga, gb] = grad((x, y) => matmul(x!, y!), [mk(ad, as), mk(bd, bs)], { gradOutput: mk(gd, out.shape) });
      expect(ga!.shape).toEqual([...as]);
      expect(gb!.shape).toEqual([...bs]);
      const mag = (n: number) => ({ data: [] as number[], mag: new Array<number>(n).fill(100) });
      expectMatClose(values(ga!), { ...mag(dA.length), data: dA }, 'float64', 'dA');
      expectMatClose(values(gb!), { ...mag(dB.length), data: dB }, 'float64', 'dB');
      ga!.dispose();
      gb!.dispose();
    });
  });

  it('mm and bmm', () => {
    noLeak(() => {
      const ad = rand(12);
      const bd = rand(20);
      const gd = rand(15);
      const [ga, gb] = grad((x, y) => mm(x!, y!), [mk(ad, [3, 4]), mk(bd, [4, 5])], { gradOutput: mk(gd, [3, 5]) });
      const bT = tr(bd, [4, 5]);
      const aT = tr(ad, [3, 4]);
      const ones = (n: number) => new Array<number>(n).fill(100);
      expectMatClose(values(ga!), { data: refMatmul(gd, [3, 5], bT.data, bT.shape).data, mag: ones(12) }, 'float64', 'mm dA');
      expectMatClose(values(gb!), { data: refMatmul(aT.data, aT.shape, gd, [3, 5]).data, mag: ones(20) }, 'float64', 'mm dB');
      const cd = rand(24);
      const dd = rand(40);
      const hd = rand(30);
      const [gc, gdd] = grad((x, y) => bmm(x!, y!), [mk(cd, [2, 3, 4]), mk(dd, [2, 4, 5])], { gradOutput: mk(hd, [2, 3, 5]) });
      const dT = tr(dd, [2, 4, 5]);
      const cT = tr(cd, [2, 3, 4]);
      expectMatClose(values(gc!), { data: refMatmul(hd, [2, 3, 5], dT.data, dT.shape).data, mag: ones(24) }, 'float64', 'bmm dA');
      expectMatClose(values(gdd!), { data: refMatmul(cT.data, cT.shape, hd, [2, 3, 5]).data, mag: ones(40) }, 'float64', 'bmm dB');
      [ga, gb, gc, gdd].forEach((t) => t!.dispose());
    });
  });

  it('records matmul, mm and bmm nodes', () => {
    noLeak(() => {
      const a = mk(rand(4), [2, 2]).requiresGrad_();
      const y = a.matmul(a);
      const z = a.mm(a);
      const a3 = a.unsqueeze(0);
      made.push(a3);
      const w = a3.bmm(a3);
      expect(y.gradFn?.name).toBe('matmul');
      expect(z.gradFn?.name).toBe('mm');
      expect(w.gradFn?.name).toBe('bmm');
      [y, z, w].forEach((t) => t.dispose());
    });
  });
});

