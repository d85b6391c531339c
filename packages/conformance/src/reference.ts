/**
 * An independent float64 reference for the property checks: plain JavaScript loops over
 * row-major arrays, sharing no code with any backend's kernels, so a kernel bug cannot hide in
 * the reference too.
 */

/** A row-major float64 array with a shape. */
export interface Nd {
  shape: number[];
  data: Float64Array;
}

/**
 * The number of elements of a shape.
 *
 * @example
 * ```ts
 * import { sizeOf } from '@tensorgrad/conformance';
 * sizeOf([2, 3]); // 6
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * Builds an array of `shape` whose element at multi-index `idx` is `f(idx)`.
 *
 * @example
 * ```ts
 * import { build } from '@tensorgrad/conformance';
 * build([2, 2], ([i, j]) => i * 10 + j).data; // Float64Array [0, 1, 10, 11]
 * ```
 */
export function build(shape: readonly number[], f: (idx: number[]) => number): Nd {
  const n = sizeOf(shape);
  const data = new Float64Array(n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    data[i] = f(idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return { shape: [...shape], data };
}

/**
 * The element of `x` at multi-index `idx`.
 *
 * @example
 * ```ts
 * import { at, build } from '@tensorgrad/conformance';
 * at(build([2, 2], ([i, j]) => i * 10 + j), [1, 0]); // 10
 * ```
 */
export function at(x: Nd, idx: readonly number[]): number {
  let k = 0;
  let acc = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    k += idx[d]! * acc;
    acc *= x.shape[d]!;
  }
  return x.data[k]!;
}

/**
 * NumPy/PyTorch broadcasting of two shapes.
 *
 * @example
 * ```ts
 * import { broadcastPair } from '@tensorgrad/conformance';
 * broadcastPair([3, 1], [4]); // [3, 4]
 * ```
 */
export function broadcastPair(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`reference: shapes [${a}] and [${b}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The element of `x` broadcast to an output index of rank >= x's rank. */
function atBroadcast(x: Nd, idx: readonly number[]): number {
  const off = idx.length - x.shape.length;
  let k = 0;
  let acc = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    const i = x.shape[d] === 1 ? 0 : idx[d + off]!;
    k += i * acc;
    acc *= x.shape[d]!;
  }
  return x.data[k]!;
}

/**
 * Element-wise `f` over inputs broadcast together.
 *
 * @example
 * ```ts
 * import { zipNd, build } from '@tensorgrad/conformance';
 * const a = build([2, 1], ([i]) => i);
 * const b = build([3], ([j]) => j * 10);
 * zipNd([a, b], (x, y) => x + y).shape; // [2, 3]
 * ```
 */
export function zipNd(xs: readonly Nd[], f: (...v: number[]) => number): Nd {
  const shape = xs.map((x) => x.shape).reduce((s, t) => broadcastPair(s, t), [] as number[]);
  return build(shape, (idx) => f(...xs.map((x) => atBroadcast(x, idx))));
}

/**
 * Reduces `dims` of `x` with `f` (given the reduced values in row-major order).
 *
 * @example
 * ```ts
 * import { reduceNd, build } from '@tensorgrad/conformance';
 * const x = build([2, 3], ([i, j]) => i * 3 + j);
 * reduceNd(x, [1], false, (v) => v.reduce((a, b) => a + b, 0)).data; // Float64Array [3, 12]
 * ```
 */
export function reduceNd(x: Nd, dims: readonly number[], keepdim: boolean, f: (values: number[]) => number): Nd {
  const nd = x.shape.length;
  const red = new Set(dims.map((d) => (d < 0 ? d + nd : d)));
  const outShapeKeep = x.shape.map((s, d) => (red.has(d) ? 1 : s));
  const redShape = x.shape.map((s, d) => (red.has(d) ? s : 1));
  const kept = build(outShapeKeep, (oidx) => {
    const vals: number[] = [];
    build(redShape, (ridx) => {
      vals.push(at(x, oidx.map((o, d) => (red.has(d) ? ridx[d]! : o))));
      return 0;
    });
    return f(vals);
  });
  if (keepdim) return kept;
  return { shape: x.shape.filter((_, d) => !red.has(d)), data: kept.data };
}

/**
 * `f` applied to each 1-d lane of `x` along `dim` (softmax-like ops), same shape.
 *
 * @example
 * ```ts
 * import { alongDim, build } from '@tensorgrad/conformance';
 * alongDim(build([2, 2], ([i, j]) => j), 1, (v) => v.map((a) => a * 2)).data; // Float64Array [0, 2, 0, 2]
 * ```
 */
export function alongDim(x: Nd, dim: number, f: (lane: number[]) => number[]): Nd {
  const nd = x.shape.length;
  const d0 = dim < 0 ? dim + nd : dim;
  const out = new Float64Array(x.data.length);
  const st = stridesOf(x.shape);
  const len = x.shape[d0]!;
  const outer = x.shape.map((s, d) => (d === d0 ? 1 : s));
  build(outer, (idx) => {
    let base = 0;
    for (let d = 0; d < nd; d++) base += idx[d]! * st[d]!;
    const lane: number[] = [];
    for (let k = 0; k < len; k++) lane.push(x.data[base + k * st[d0]!]!);
    const r = f(lane);
    for (let k = 0; k < len; k++) out[base + k * st[d0]!] = r[k]!;
    return 0;
  });
  return { shape: [...x.shape], data: out };
}

/**
 * Permutes dimensions: output dim `i` is input dim `dims[i]`.
 *
 * @example
 * ```ts
 * import { permuteNd, build } from '@tensorgrad/conformance';
 * permuteNd(build([2, 3], ([i, j]) => i * 3 + j), [1, 0]).data; // Float64Array [0, 3, 1, 4, 2, 5]
 * ```
 */
export function permuteNd(x: Nd, dims: readonly number[]): Nd {
  const nd = x.shape.length;
  const p = dims.map((d) => (d < 0 ? d + nd : d));
  const shape = p.map((d) => x.shape[d]!);
  return build(shape, (oidx) => {
    const iidx = new Array<number>(nd);
    p.forEach((d, i) => (iidx[d] = oidx[i]!));
    return at(x, iidx);
  });
}

/**
 * Matrix product with `torch.matmul`'s rules (1-d operands, broadcast batch dimensions),
 * accumulated in float64.
 *
 * @example
 * ```ts
 * import { matmulNd, build } from '@tensorgrad/conformance';
 * const a = build([1, 2], ([, j]) => j + 1);
 * const b = build([2, 1], ([i]) => i + 3);
 * matmulNd(a, b).data; // Float64Array [11]
 * ```
 */
export function matmulNd(a: Nd, b: Nd): Nd {
  const a2 = a.shape.length === 1 ? { shape: [1, a.shape[0]!], data: a.data } : a;
  const b2 = b.shape.length === 1 ? { shape: [b.shape[0]!, 1], data: b.data } : b;
  const m = a2.shape[a2.shape.length - 2]!;
  const k = a2.shape[a2.shape.length - 1]!;
  const n = b2.shape[b2.shape.length - 1]!;
  if (b2.shape[b2.shape.length - 2] !== k) throw new Error('reference matmul: inner dimensions differ');
  const batch = broadcastPair(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const full = build([...batch, m, n], (idx) => {
    const bi = idx.slice(0, batch.length);
    const i = idx[batch.length]!;
    const j = idx[batch.length + 1]!;
    let s = 0;
    for (let q = 0; q < k; q++) s += atBroadcast(a2, [...bi, i, q]) * atBroadcast(b2, [...bi, q, j]);
    return s;
  });
  let shape = full.shape;
  if (a.shape.length === 1) shape = shape.filter((_, d) => d !== shape.length - 2);
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  return { shape, data: full.data };
}

/**
 * Concatenation along `dim`.
 *
 * @example
 * ```ts
 * import { catNd, build } from '@tensorgrad/conformance';
 * catNd([build([1], () => 1), build([2], () => 2)], 0).data; // Float64Array [1, 2, 2]
 * ```
 */
export function catNd(xs: readonly Nd[], dim: number): Nd {
  const nonEmpty = xs.filter((x) => !(x.shape.length === 1 && x.shape[0] === 0));
  const nd = nonEmpty[0]!.shape.length;
  const d0 = dim < 0 ? dim + nd : dim;
  const shape = [...nonEmpty[0]!.shape];
  shape[d0] = nonEmpty.reduce((s, x) => s + x.shape[d0]!, 0);
  return build(shape, (idx) => {
    let k = idx[d0]!;
    for (const x of nonEmpty) {
      if (k < x.shape[d0]!) return at(x, idx.map((v, d) => (d === d0 ? k : v)));
      k -= x.shape[d0]!;
    }
    throw new Error('reference cat: index out of range');
  });
}

/**
 * The error function, to float64 accuracy (Taylor series near 0, continued fraction for erfc in
 * the tails), for the exact GELU.
 *
 * @example
 * ```ts
 * import { erf } from '@tensorgrad/conformance';
 * erf(0); // 0
 * ```
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 27) return Math.sign(x);
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz)
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : d;
    c = ax + an / c;
    c = c === 0 ? 1e-300 : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

/** Float64 reference of each unary element-wise op (by tensorgrad name). */
export const unaryReference: Readonly<Record<string, (x: number) => number>> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  square: (x) => x * x,
  sin: (x) => Math.sin(x),
  cos: (x) => Math.cos(x),
  tanh: (x) => Math.tanh(x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x > 0 ? x : 0),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
};

/**
 * Exact GELU `x·Φ(x)`, or its tanh approximation.
 *
 * @example
 * ```ts
 * import { geluReference } from '@tensorgrad/conformance';
 * geluReference(0, 'none'); // 0
 * ```
 */
export function geluReference(x: number, approximate: 'none' | 'tanh'): number {
  if (approximate === 'tanh') return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** Float64 reference of the binary element-wise ops (comparisons return 0/1). */
export const binaryReference: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  eq: (a, b) => Number(a === b),
  ne: (a, b) => Number(a !== b),
  lt: (a, b) => Number(a < b),
  le: (a, b) => Number(a <= b),
  gt: (a, b) => Number(a > b),
  ge: (a, b) => Number(a >= b),
};

const total = (v: number[]): number => v.reduce((a, b) => a + b, 0);

/**
 * Variance with `correction` (1 = Bessel's, as PyTorch's default `unbiased`).
 *
 * @example
 * ```ts
 * import { varianceOf } from '@tensorgrad/conformance';
 * varianceOf([1, 2, 3, 4], 1); // 1.6666666666666667
 * ```
 */
export function varianceOf(v: number[], correction: number): number {
  const m = total(v) / v.length;
  return total(v.map((x) => (x - m) * (x - m))) / (v.length - correction);
}

/** Float64 reference of the value reductions over a list of values. */
export const reductionReference: Readonly<Record<string, (v: number[]) => number>> = {
  sum: total,
  mean: (v) => total(v) / v.length,
  max: (v) => (v.some(Number.isNaN) ? NaN : Math.max(...v)),
  min: (v) => (v.some(Number.isNaN) ? NaN : Math.min(...v)),
  argmax: (v) => v.indexOf(Math.max(...v)),
  argmin: (v) => v.indexOf(Math.min(...v)),
  std: (v) => Math.sqrt(varianceOf(v, 1)),
  var: (v) => varianceOf(v, 1),
};

/**
 * Softmax of one lane (max-subtracted, as every careful implementation does).
 *
 * @example
 * ```ts
 * import { softmaxLane } from '@tensorgrad/conformance';
 * softmaxLane([0, 0]); // [0.5, 0.5]
 * ```
 */
export function softmaxLane(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = total(e);
  return e.map((x) => x / s);
}

/**
 * Log-softmax of one lane.
 *
 * @example
 * ```ts
 * import { logSoftmaxLane } from '@tensorgrad/conformance';
 * logSoftmaxLane([0, 0]); // [-0.6931471805599453, -0.6931471805599453]
 * ```
 */
export function logSoftmaxLane(v: number[]): number[] {
  const m = Math.max(...v);
  const lse = m + Math.log(total(v.map((x) => Math.exp(x - m))));
  return v.map((x) => x - lse);
}
