/**
 * The CPU GEMM: `C[M,N] (+)= A[M,K] · B[K,N]` on typed arrays with arbitrary row/column strides,
 * so transposed or broadcast operands never need a materialised copy.
 *
 * Floating-point products large enough to pay for packing run on the WebAssembly SIMD128 kernels
 * of `wasm/` (emitted at run time; float32 accumulates in float32 there, like a BLAS) unless they
 * are switched off or the engine lacks wasm SIMD. The TypeScript path below is the fallback and
 * the reference: panels of A and B are packed (converted to float64) into contiguous, reused
 * buffers laid out in the order the micro-kernel reads them, and a register-tiled micro-kernel
 * keeps an MR×NR tile of C in local variables. Blocking over K keeps the packed B strip in L1
 * and the packed A block in L2. float32 accumulates in doubles there and rounds on store. int32
 * uses a plain loop with wrapping 32-bit arithmetic.
 */
import { SimdGemm } from './wasm/gemm-simd.js';
import { SimdSwitch } from './wasm/simd-switch.js';
import { GemmThreads } from './wasm/gemm-threads.js';

/** A matrix operand of {@link matmulInto}: a typed array plus the offset and strides of a 2-D view. */
export interface MatmulOperand {
  /** The backing storage. */
  readonly data: Float32Array | Float64Array | Int32Array;
  /** Index of element `[0, 0]` in `data`. */
  readonly offset: number;
  /** Distance in `data` between `[i, j]` and `[i + 1, j]` (may be 0 for a broadcast row). */
  readonly rowStride: number;
  /** Distance in `data` between `[i, j]` and `[i, j + 1]` (may be 0 for a broadcast column). */
  readonly colStride: number;
}

const MR = 4;
const NR = 4;
// KC·NR·8 bytes (the B strip the micro-kernel streams) stays in L1; MC·KC·8 (packed A) in L2
const KC = 256;
const MC = 64;
const NC = 2048;
// below this many multiply-adds, packing costs more than it saves
const SMALL = 32 * 32 * 32;

// Packs `lanes` lanes × `kc` steps of an operand (element (l, p) at `src[base + l·laneStride +
// p·kStride]`) into `dst` as slivers of 4 lanes (MR = NR = 4), each sliver step-major, padding the
// last sliver with zeros. A's lanes are its rows, B's its columns.
function packSlivers(src: MatmulOperand['data'], base: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: Float64Array): void {
  let d = 0;
  for (let l0 = 0; l0 < lanes; l0 += 4, base += 4 * laneStride) {
    const count = Math.min(4, lanes - l0);
    if (count === 4) {
      const l1 = laneStride;
      const l2 = 2 * laneStride;
      const l3 = 3 * laneStride;
      for (let p = 0, o = base; p < kc; p++, o += kStride) {
        dst[d] = src[o]!;
        dst[d + 1] = src[o + l1]!;
        dst[d + 2] = src[o + l2]!;
        dst[d + 3] = src[o + l3]!;
        d += 4;
      }
    } else {
      for (let p = 0, o = base; p < kc; p++, o += kStride) {
        for (let r = 0; r < 4; r++) dst[d + r] = r < count ? src[o + r * laneStride]! : 0;
        d += 4;
      }
    }
  }
}

// One MR×NR tile of C from a packed A strip (at `ia`) and a packed B strip (at `ib`), written to
// a float64 row-major target so that this hot function stays monomorphic. `add` says whether to
// add to C (later K blocks, or accumulate mode) or overwrite it.
function microKernel(kc: number, pa: Float64Array, ia: number, pb: Float64Array, ib: number, c: Float64Array, co: number, crs: number, add: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[ib]!;
    const b1 = pb[ib + 1]!;
    const b2 = pb[ib + 2]!;
    const b3 = pb[ib + 3]!;
    const a0 = pa[ia]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    const a1 = pa[ia + 1]!;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    const a2 = pa[ia + 2]!;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    const a3 = pa[ia + 3]!;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ia += MR;
    ib += NR;
  }
  const r0 = co;
  const r1 = co + crs;
  const r2 = r1 + crs;
  const r3 = r2 + crs;
  if (add) {
    c[r0] += c00; c[r0 + 1] += c01; c[r0 + 2] += c02; c[r0 + 3] += c03;
    c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13;
    c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23;
    c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33;
  } else {
    c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
    c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
    c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
    c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
  }
}

function gemmSmall(m: number, n: number, k: number, a: MatmulOperand, b: MatmulOperand, c: MatmulOperand, accumulate: boolean): void {
  const A = a.data, B = b.data, C = c.data;
  const ars = a.rowStride, acs = a.colStride, brs = b.rowStride, bcs = b.colStride, crs = c.rowStride, ccs = c.colStride;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ao = a.offset + i * ars;
      let bo = b.offset + j * bcs;
      for (let p = 0; p < k; p++, ao += acs, bo += brs) s += A[ao]! * B[bo]!;
      const o = c.offset + i * crs + j * ccs;
      C[o] = accumulate ? C[o]! + s : s;
    }
  }
}

function gemmInt32(m: number, n: number, k: number, a: MatmulOperand, b: MatmulOperand, c: MatmulOperand, accumulate: boolean): void {
  const A = a.data, B = b.data, C = c.data;
  const ars = a.rowStride, acs = a.colStride, brs = b.rowStride, bcs = b.colStride, crs = c.rowStride, ccs = c.colStride;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ao = a.offset + i * ars;
      let bo = b.offset + j * bcs;
      // wrapping 32-bit arithmetic, like an integer GEMM
      for (let p = 0; p < k; p++, ao += acs, bo += brs) s = (s + Math.imul(A[ao]!, B[bo]!)) | 0;
      const o = c.offset + i * crs + j * ccs;
      C[o] = accumulate ? (C[o]! + s) | 0 : s;
    }
  }
}

/**
 * The GEMM of one backend instance: its SIMD and thread settings, its WebAssembly kernel instances
 * and worker pool, and the packing buffers of the TypeScript path.
 */
export class Gemm {
  /** Whether the WebAssembly SIMD kernels are used (see `setCpuSimd`). */
  readonly simdSwitch = new SimdSwitch();
  /** The single-threaded WebAssembly SIMD kernels. */
  readonly simd = new SimdGemm();
  /** The thread settings and worker pool (see `setCpuThreads`). */
  readonly threads = new GemmThreads(this.simdSwitch);
  private packA = new Float64Array(MC * KC);
  private packB = new Float64Array(KC * NC);
  private scratchC = new Float64Array(0);

  /**
   * Computes `C = A · B` (or `C += A · B` when `accumulate`) for an `m×k` matrix A and a `k×n`
   * matrix B; see the public `matmulInto`.
   */
  matmulInto(
    m: number,
    n: number,
    k: number,
    a: MatmulOperand,
    b: MatmulOperand,
    c: MatmulOperand,
    accumulate = false,
  ): void {
    if (m === 0 || n === 0) return;
    if (k === 0) {
      if (!accumulate) {
        const C = c.data;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[c.offset + i * c.rowStride + j * c.colStride] = 0;
      }
      return;
    }
    if (c.data instanceof Int32Array) {
      gemmInt32(m, n, k, a, b, c, accumulate);
      return;
    }
    if (this.threads.use(m, n, k)) {
      if (this.threads.run(c.data instanceof Float32Array ? 'f32' : 'f64', m, n, k, a, b, c, accumulate)) return;
    }
    if (this.simdSwitch.use(m, n, k)) {
      if (this.simd.run(c.data instanceof Float32Array ? 'f32' : 'f64', m, n, k, a, b, c, accumulate)) return;
    }
    if (m * n * k <= SMALL || m < MR || n < NR) {
      gemmSmall(m, n, k, a, b, c, accumulate);
      return;
    }
    // The micro-kernel writes straight into C when C is a row-contiguous float64 matrix whose
    // sizes are whole tiles; otherwise into a padded float64 scratch copied out at the end (which
    // also keeps float32 partial sums across K blocks in double precision).
    const direct = c.data instanceof Float64Array && c.colStride === 1 && m % MR === 0 && n % NR === 0;
    const mPad = Math.ceil(m / MR) * MR;
    const nPad = Math.ceil(n / NR) * NR;
    if (!direct && this.scratchC.length < mPad * nPad) this.scratchC = new Float64Array(mPad * nPad);
    const C = direct ? (c.data as Float64Array) : this.scratchC;
    const cOff = direct ? c.offset : 0;
    const crs = direct ? c.rowStride : nPad;
    const ncMax = Math.min(NC, nPad);
    const kcMax = Math.min(KC, k);
    if (this.packB.length < kcMax * ncMax) this.packB = new Float64Array(kcMax * ncMax);
    if (this.packA.length < MC * kcMax) this.packA = new Float64Array(MC * kcMax);
    const packA = this.packA;
    const packB = this.packB;
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = Math.min(NC, n - j0);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = Math.min(KC, k - p0);
        const add = (direct && accumulate) || p0 > 0;
        packSlivers(b.data, b.offset + p0 * b.rowStride + j0 * b.colStride, b.colStride, b.rowStride, nc, kc, packB);
        for (let i0 = 0; i0 < m; i0 += MC) {
          const mc = Math.min(MC, m - i0);
          packSlivers(a.data, a.offset + i0 * a.rowStride + p0 * a.colStride, a.rowStride, a.colStride, mc, kc, packA);
          for (let jr = 0; jr < nc; jr += NR) {
            const ib = jr * kc;
            const cBase = cOff + i0 * crs + j0 + jr;
            for (let ir = 0; ir < mc; ir += MR) microKernel(kc, packA, ir * kc, packB, ib, C, cBase + ir * crs, crs, add);
          }
        }
      }
    }
    if (!direct) {
      const out = c.data;
      const ors = c.rowStride;
      const ocs = c.colStride;
      for (let i = 0; i < m; i++) {
        let o = c.offset + i * ors;
        let s = i * nPad;
        if (accumulate) for (let j = 0; j < n; j++, o += ocs, s++) out[o] = out[o]! + C[s]!;
        else for (let j = 0; j < n; j++, o += ocs, s++) out[o] = C[s]!;
      }
    }
  }
}
