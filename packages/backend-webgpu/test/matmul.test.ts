import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory, type Tensor } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import '@tensorgrad/backend-cpu';
import { webgpuOrReason } from './gpu.js';

const gpu = await webgpuOrReason();
const suite = gpu.backend ? describe : describe.skip;
const title = gpu.backend ? 'webgpu matmul (tiled) vs a float64 reference' : `webgpu matmul [skipped: no WebGPU adapter: ${gpu.reason}]`;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `C[b] = A[b] · B[b]` in float64 from row-major logical values. */
function reference(a: Float64Array, b: Float64Array, batch: number, m: number, k: number, n: number, aBatch: boolean, bBatch: boolean): Float64Array {
  const c = new Float64Array(batch * m * n);
  for (let z = 0; z < batch; z++) {
    const ao = aBatch ? z * m * k : 0;
    const bo = bBatch ? z * k * n : 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + i * k + p]! * b[bo + p * n + j]!;
        c[(z * m + i) * n + j] = s;
      }
    }
  }
  return c;
}

suite(title, () => {
  const be = gpu.backend!;

  /** A `[batch?, rows, cols]` operand holding `values` (row-major logical), stored transposed when `transposed`. */
  function operand(values: Float64Array, batch: number | null, rows: number, cols: number, transposed: boolean, made: Tensor[]): Tensor {
    const lead = batch === null ? [] : [batch];
    const count = (batch ?? 1) * rows * cols;
    if (!transposed) {
      const t = fromArray(be, Float32Array.from(values.subarray(0, count)), [...lead, rows, cols], 'float32');
      made.push(t);
      return t;
    }
    // store [.., cols, rows] and view it transposed: the kernel reads it in place
    const stored = new Float32Array(count);
    for (let z = 0; z < (batch ?? 1); z++) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) stored[z * rows * cols + j * rows + i] = values[z * rows * cols + i * cols + j]!;
    }
    const t = fromArray(be, stored, [...lead, cols, rows], 'float32');
    const v = t.transpose(-1, -2);
    made.push(t, v);
    return v;
  }

  const cases: [string, number, number, number, number, boolean, boolean, 'both' | 'a' | 'none'][] = [
    // label, batch, m, k, n, a transposed, b transposed, which operands are batched
    ['1×1×1', 1, 1, 1, 1, false, false, 'none'],
    ['odd 3×5×7', 1, 3, 5, 7, false, false, 'none'],
    ['tile edges 65×33×70', 1, 65, 33, 70, false, false, 'none'],
    ['A transposed 67×40×19', 1, 67, 40, 19, true, false, 'none'],
    ['B transposed 17×70×66', 1, 17, 70, 66, false, true, 'none'],
    ['both transposed 130×17×129', 1, 130, 17, 129, true, true, 'none'],
    ['batched 3×(31×45×29)', 3, 31, 45, 29, false, false, 'both'],
    ['batched, B broadcast (stride 0) 4×(20×30×10)', 4, 20, 30, 10, false, true, 'a'],
    ['long K 5×1000×3', 1, 5, 1000, 3, false, false, 'none'],
  ];

  // both programs: workgroup-memory tiles (GPUs) and direct loads (software adapters)
  for (const staged of [true, false]) {
    describe(staged ? 'staged tiles' : 'direct loads', () => {
      let saved = false;
      beforeAll(() => {
        saved = be.softwareAdapter;
        be.softwareAdapter = !staged;
      });
      afterAll(() => {
        be.softwareAdapter = saved;
      });
      for (const [label, batch, m, k, n, at, bt, batched] of cases) {
        it(label, async () => {
          const before = memory(be.name);
          const r = rng(m * 1000 + k * 10 + n);
          const av = Float64Array.from({ length: batch * m * k }, () => Math.fround(r() * 2 - 1));
          const bv = Float64Array.from({ length: batch * k * n }, () => Math.fround(r() * 2 - 1));
          const made: Tensor[] = [];
          const aBatch = batched !== 'none';
          const bBatch = batched === 'both';
          const A = operand(av, aBatch ? batch : null, m, k, at, made);
          const B = operand(bv, bBatch ? batch : null, k, n, bt, made);
          const C = A.matmul(B);
          made.push(C);
          expect(C.shape).toEqual(aBatch ? [batch, m, n] : [m, n]);
          const got = await C.data();
          const want = reference(av, bv, aBatch ? batch : 1, m, k, n, aBatch, bBatch);
          // ARCHITECTURE.md, Numerics for matmul: rtol 1e-4, with the conformance suite's atol 1e-5 (sums of
          // mixed-sign products cancel), the atol growing like the rounding of k float32 terms
          const atol = 1e-5 * Math.max(1, Math.sqrt(k / 16));
          let bad = 0;
          for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i]! - want[i]!) <= atol + 1e-4 * Math.abs(want[i]!))) bad++;
          expect(bad).toBe(0);
          made.forEach((t) => t.dispose());
          expect(memory(be.name).numTensors).toBe(before.numTensors);
        });
      }
      it('int32 products wrap like 32-bit integer arithmetic', async () => {
        const a = fromArray(be, Int32Array.from([65536, 3, -7, 2]), [2, 2], 'int32');
        const b = fromArray(be, Int32Array.from([65536, 1, 5, -4]), [2, 2], 'int32');
        const c = a.matmul(b);
        expect(Array.from(await c.data())).toEqual([
          Math.imul(65536, 65536) + 15, // 2^32 wraps to 0
          65536 - 12,
          Math.imul(-7, 65536) + 10,
          -7 - 8,
        ]);
        [a, b, c].forEach((t) => t.dispose());
      });
    });
  }

  it('an empty inner dimension gives zeros', async () => {
    const a = fromArray(be, new Float32Array(0), [3, 0], 'float32');
    const b = fromArray(be, new Float32Array(0), [0, 2], 'float32');
    const c = a.matmul(b);
    expect(Array.from(await c.data())).toEqual([0, 0, 0, 0, 0, 0]);
    [a, b, c].forEach((t) => t.dispose());
  });
});
