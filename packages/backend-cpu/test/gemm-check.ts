// Shared by the GEMM tests: operands in every layout and a check of a product against an
// independent float64 triple loop.
import { expect } from 'vitest';
import { matmulInto, type MatmulOperand } from '@tensorgrad/backend-cpu';

export type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** How an operand is laid out in its backing array. */
export type Layout = 'row' | 'col' | 'padded' | 'stepped' | 'broadcast';

/** An r×c operand with values `value(i, j)` stored with `layout`, behind `offset` sentinel elements. */
export function operand(T: Ctor, r: number, c: number, layout: Layout, value: (i: number, j: number) => number, offset = 3): MatmulOperand {
  let rowStride: number;
  let colStride: number;
  let size: number;
  switch (layout) {
    case 'row':
      [rowStride, colStride, size] = [c, 1, r * c];
      break;
    case 'col':
      [rowStride, colStride, size] = [1, r, r * c];
      break;
    case 'padded': // rows with a gap after them (a slice of a wider matrix)
      [rowStride, colStride, size] = [c + 5, 1, r * (c + 5)];
      break;
    case 'stepped': // no unit stride at all: every other element of a column-major matrix
      [rowStride, colStride, size] = [2, 2 * r + 1, (2 * r + 1) * c];
      break;
    case 'broadcast': // one row repeated (row stride 0)
      [rowStride, colStride, size] = [0, 1, c];
      break;
  }
  const data = new T(offset + size + 3).fill(Number.NaN);
  for (let i = 0; i < (layout === 'broadcast' ? 1 : r); i++) for (let j = 0; j < c; j++) data[offset + i * rowStride + j * colStride] = value(i, j);
  return { data, offset, rowStride, colStride };
}

export function get(x: MatmulOperand, i: number, j: number): number {
  return x.data[x.offset + i * x.rowStride + j * x.colStride]!;
}

export interface Case {
  m: number;
  n: number;
  k: number;
  a?: Layout;
  b?: Layout;
  c?: 'row' | 'col' | 'padded';
  accumulate?: boolean;
}

/** Runs one product through `gemm` and checks every element against float64, and C's untouched gaps. */
export function check(T: Ctor, { m, n, k, a: la = 'row', b: lb = 'row', c: lc = 'row', accumulate = false }: Case, gemm: typeof matmulInto): void {
  const r = rng(m * 7919 + n * 104729 + k * 31 + (accumulate ? 1 : 0));
  const a = operand(T, m, k, la, () => r());
  const b = operand(T, k, n, lb, () => r());
  const c0 = (): number => (accumulate ? r() : Number.NaN);
  const c = operand(T, m, n, lc, c0, 5);
  const before = Float64Array.from(c.data);
  gemm(m, n, k, a, b, c, accumulate);
  const eps = T === Float32Array ? 2 ** -24 : 2 ** -53;
  // the reference on dense float64 copies (i-p-j order keeps the big cases fast)
  const A = new Float64Array(m * k);
  const B = new Float64Array(k * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) A[i * k + p] = get(a, i, p);
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) B[p * n + j] = get(b, p, j);
  const ref = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const c0v = accumulate ? before[c.offset + i * c.rowStride + j * c.colStride]! : 0;
      ref[i * n + j] = c0v;
      mag[i * n + j] = Math.abs(c0v);
    }
    for (let p = 0; p < k; p++) {
      const x = A[i * k + p]!;
      for (let j = 0; j < n; j++) {
        const y = x * B[p * n + j]!;
        ref[i * n + j] += y;
        mag[i * n + j] += Math.abs(y);
      }
    }
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const got = get(c, i, j);
      const want = ref[i * n + j]!;
      // the classic bound for a recursive sum of k products: (k + 2)·eps·Σ|a·b|
      const tol = (k + 2) * eps * mag[i * n + j]! + 1e-30;
      if (!(Math.abs(got - want) <= tol)) {
        expect.fail(`${T.name} ${m}×${n}×${k} A:${la} B:${lb} C:${lc}${accumulate ? ' accumulate' : ''}: C[${i},${j}] = ${got}, expected ${want} ± ${tol}`);
      }
    }
  }
  // everything C's view does not cover is untouched (NaN sentinels stay NaN)
  const covered = new Uint8Array(c.data.length);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) covered[c.offset + i * c.rowStride + j * c.colStride] = 1;
  for (let x = 0; x < c.data.length; x++) {
    if (!covered[x] && !Object.is(c.data[x], before[x])) expect.fail(`element ${x} outside C's view changed to ${c.data[x]}`);
  }
}

/** Every A/B layout pair, and a broadcast A, at a few sizes around the micro-tile and KC. */
export function checkOperandLayouts(T: Ctor): void {
  const layouts: Layout[] = ['row', 'col', 'padded', 'stepped'];
  for (const [m, n, k] of [
    [5, 9, 1],
    [9, 13, 33],
    [17, 31, 257],
    [130, 20, 40],
  ] as const) {
    for (const a of layouts) for (const b of layouts) check(T, { m, n, k, a, b }, matmulInto);
    check(T, { m, n, k, a: 'broadcast' }, matmulInto);
  }
}

/** Row-major, column-major and padded C at every size, in accumulate mode and with transposed operands. */
export function checkOutputLayouts(T: Ctor, sizes: readonly (readonly [number, number, number])[]): void {
  for (const [m, n, k] of sizes) {
    for (const c of ['row', 'col', 'padded'] as const) {
      check(T, { m, n, k, c, accumulate: true }, matmulInto);
      check(T, { m, n, k, a: 'col', b: 'col', c }, matmulInto);
    }
  }
}

/** Products larger than one block in every dimension (row chunks of the C panel, NC panels, KC slices). */
export function checkLargeProducts(): void {
  // row chunks hold 4 MiB of C panel: 1024 rows of 1024 float32 columns, 512 rows of float64
  check(Float32Array, { m: 1030, n: 1030, k: 3, c: 'padded', accumulate: true }, matmulInto);
  check(Float32Array, { m: 260, n: 1030, k: 600, b: 'col', accumulate: true }, matmulInto);
  check(Float64Array, { m: 600, n: 1100, k: 20, a: 'col' }, matmulInto);
  check(Float64Array, { m: 70, n: 40, k: 700, a: 'padded', b: 'col' }, matmulInto);
}
