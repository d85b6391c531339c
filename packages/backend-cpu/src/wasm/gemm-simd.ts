/**
 * The JS side of the WebAssembly SIMD GEMM: compiles the module emitted by
 * {@link emitGemmModule} on first use, moves operand blocks into its linear memory, calls the
 * wasm packing routines and macro-kernel, and copies the finished C panel out through the
 * caller's strides.
 *
 * Blocking follows Goto/BLIS: for each NC-column panel of B and KC-deep slice of K, B is packed
 * once into NR-column slivers (the sliver the micro-kernel streams, KC·NR elements, stays in L1);
 * for each MC-row block of A, A is packed into MR-row slivers (MC·KC elements, in L2) and the
 * macro-kernel sweeps every MR×NR tile of the block. The C panel stays in wasm memory across the
 * K slices (later slices add to it) and is copied out once; in accumulate mode it is first loaded
 * from C, so the addition happens in wasm too. Rows are processed in chunks so that the C panel
 * never needs more than a few MiB, whatever the product's size.
 *
 * Element-wise loops in JS cost a few ns per element, as much as dozens of multiply-adds in the
 * kernel, so data crosses into wasm memory with `TypedArray.set` (a memcpy) wherever the operand
 * has contiguous lines (a unit row or column stride), and the packing itself runs in wasm. Only
 * operands without a unit stride (broadcast or stepped views) are packed element by element in JS.
 */
import type { MatmulOperand } from '../matmul-core.js';
import { emitGemmModule, type GemmKernelSpec } from './gemm-kernel.js';

/** Element types the SIMD GEMM handles. */
export type SimdElem = 'f32' | 'f64';

/** The blocking of one element type (internal). */
export interface Blocking {
  readonly spec: GemmKernelSpec;
  readonly size: number;
  readonly kc: number;
  readonly mc: number;
  readonly nc: number;
}

// MR×NR = 4×8 float32 (4×4 float64): 8 v128 accumulators + 2 B vectors + the A splat + the
// product temporary fit the 15 xmm registers V8 allocates on x64 (xmm15 is its scratch register);
// measured fastest among 2…8 × 4…16 tiles, with and without unrolling. KC·NR·size = 8 KiB of B sliver in L1, MC·KC·size = 128 KiB of A in L2.
export const BLOCKING: Record<SimdElem, Blocking> = {
  f32: { spec: { elem: 'f32', mr: 4, nr: 8 }, size: 4, kc: 256, mc: 128, nc: 1024 },
  f64: { spec: { elem: 'f64', mr: 4, nr: 4 }, size: 8, kc: 256, mc: 64, nc: 1024 },
};
// upper bound on the C panel kept in wasm memory; taller products run in row chunks
export const C_PANEL_BYTES = 4 << 20;
// strided lines shorter than this are not worth a `set` call each (its fixed cost is ~50 ns)
export const MIN_LINE = 16;
export const PAGE = 65536;

/** The macro-kernel export (internal). */
export type GemmFn = (pa: number, pb: number, pc: number, mTiles: number, nTiles: number, kc: number, ldc: number, add: number) => void;
/** A packing export (internal). */
export type PackFn = (src: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: number) => void;
/** A float typed array (internal). */
export type FloatArray = Float32Array | Float64Array;

/** An instantiated kernel module and a view of its memory (internal). */
export interface Kernel {
  readonly elem: SimdElem;
  readonly blocking: Blocking;
  readonly gemm: GemmFn;
  readonly packA: PackFn;
  readonly packB: PackFn;
  readonly memory: WebAssembly.Memory;
  view: FloatArray;
}

// Compiled kernel modules by element type (`null`: the engine cannot run them). A pure cache of
// compiled code: every backend instance instantiates its own copy, with its own memory.
const modules: Partial<Record<SimdElem, WebAssembly.Module | null>> = {};

// The most memory a product can need (see the layout in simdGemm): packed and staged A and B
// blocks, and a C panel of at most C_PANEL_BYTES or one MC×NC block. The module's memory starts at
// this size and never grows, because growing detaches the old ArrayBuffer, and the first detach in
// an isolate makes V8 guard every typed-array access in the program (measured ~30% slower loops).
// The pages are only reserved; the OS commits them as they are touched.
/** The memory the single-threaded layout can need (internal). */
export function maxBytes({ size, kc, mc, nc }: Blocking): number {
  return 2 * (mc * kc + nc * kc) * size + Math.max(C_PANEL_BYTES, mc * nc * size);
}

/** The bytes of the kernel module for `elem`. */
export function gemmModuleBytes(elem: SimdElem): Uint8Array<ArrayBuffer> {
  return emitGemmModule(BLOCKING[elem].spec, Math.ceil(maxBytes(BLOCKING[elem]) / PAGE));
}

function compiled(elem: SimdElem): WebAssembly.Module | null {
  const cached = modules[elem];
  if (cached !== undefined) return cached;
  let mod: WebAssembly.Module | null = null;
  if (typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function') {
    const bytes = gemmModuleBytes(elem);
    // synchronous compilation: the module is ~2 KB, under the 4 KB browsers allow on the main thread
    if (WebAssembly.validate(bytes)) mod = new WebAssembly.Module(bytes);
  }
  modules[elem] = mod;
  return mod;
}

/**
 * Whether this JavaScript engine can run the SIMD GEMM (WebAssembly with the fixed-width SIMD
 * proposal); the kernel module itself is what gets validated, so the check is exact.
 */
export function simdSupported(): boolean {
  return compiled('f32') !== null;
}

/** A view of `memory` with `elem`'s element type (internal). */
export function newView(elem: SimdElem, memory: WebAssembly.Memory): FloatArray {
  return elem === 'f32' ? new Float32Array(memory.buffer) : new Float64Array(memory.buffer);
}

function ensureMemory(kern: Kernel, bytes: number): void {
  const have = kern.memory.buffer.byteLength;
  if (have >= bytes) return;
  // not reached while maxBytes bounds every layout; kept so that a blocking change cannot corrupt memory
  kern.memory.grow(Math.ceil((bytes - have) / PAGE));
  kern.view = newView(kern.elem, kern.memory);
}

/** `x` rounded up to a multiple of `to` (internal). */
export function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/**
 * Packs the block of `lanes` lanes × `kc` steps of an operand whose element `(l, p)` is at
 * `data[offset + l·laneStride + p·kStride]` into slivers of R lanes at byte `dst` of wasm memory.
 * With a unit stride along either axis the block's lines are copied (memcpy) into the staging area
 * at byte `stage` and packed by `pack` in wasm; otherwise it is packed element by element in JS.
 */
export function packBlock(
  kern: Kernel,
  pack: PackFn,
  R: number,
  data: MatmulOperand['data'],
  offset: number,
  laneStride: number,
  kStride: number,
  lanes: number,
  kc: number,
  dst: number,
  stage: number,
): void {
  const view = kern.view;
  const size = kern.blocking.size;
  const s0 = stage / size;
  // lines along K (each lane's kc values contiguous) or along the lanes (each step's lanes contiguous)
  const alongK = kStride === 1 || kc === 1;
  const alongLanes = laneStride === 1 || lanes === 1;
  if (alongK && (laneStride === kc || lanes === 1)) {
    view.set(data.subarray(offset, offset + lanes * kc), s0);
    pack(stage, kc * size, size, lanes, kc, dst);
  } else if (alongLanes && (kStride === lanes || kc === 1)) {
    view.set(data.subarray(offset, offset + lanes * kc), s0);
    pack(stage, size, lanes * size, lanes, kc, dst);
  } else if (alongK && kc >= MIN_LINE) {
    for (let l = 0, o = offset; l < lanes; l++, o += laneStride) view.set(data.subarray(o, o + kc), s0 + l * kc);
    pack(stage, kc * size, size, lanes, kc, dst);
  } else if (alongLanes && lanes >= MIN_LINE) {
    for (let p = 0, o = offset; p < kc; p++, o += kStride) view.set(data.subarray(o, o + lanes), s0 + p * lanes);
    pack(stage, size, lanes * size, lanes, kc, dst);
  } else {
    packInJs(view, dst / size, R, data, offset, laneStride, kStride, lanes, kc);
  }
}

// the element-by-element packing of operands without usable contiguous lines
function packInJs(out: FloatArray, dst: number, R: number, src: MatmulOperand['data'], offset: number, ls: number, ks: number, lanes: number, kc: number): void {
  let d = dst;
  for (let l0 = 0; l0 < lanes; l0 += R) {
    const n = Math.min(R, lanes - l0);
    let base = offset + l0 * ls;
    for (let p = 0; p < kc; p++, base += ks, d += R) {
      for (let l = 0; l < R; l++) out[d + l] = l < n ? src[base + l * ls]! : 0;
    }
  }
}

// rows × cols of C at (i0, j0) into the C panel (row stride `ld` elements, at element `panel`), or
// back (`toC`)
/** Moves C between the caller's matrix and a C panel in wasm memory (internal). */
export function transferC(view: FloatArray, panel: number, ld: number, c: MatmulOperand, i0: number, rows: number, j0: number, cols: number, toC: boolean): void {
  const out = c.data;
  const rs = c.rowStride;
  const cs = c.colStride;
  const lines = cs === 1 && cols >= MIN_LINE;
  for (let i = 0; i < rows; i++) {
    let o = c.offset + (i0 + i) * rs + j0 * cs;
    let s = panel + i * ld;
    if (lines) {
      if (toC) out.set(view.subarray(s, s + cols), o);
      else view.set(out.subarray(o, o + cols), s);
    } else if (toC) {
      for (let j = 0; j < cols; j++, o += cs, s++) out[o] = view[s]!;
    } else {
      for (let j = 0; j < cols; j++, o += cs, s++) view[s] = out[o]!;
    }
  }
}

/**
 * The single-threaded SIMD GEMM of one backend instance: its own instances of the kernel modules
 * (instantiated on first use), whose linear memories hold the packed blocks and the C panel.
 */
export class SimdGemm {
  private readonly kernels: Partial<Record<SimdElem, Kernel | null>> = {};

  private kernel(elem: SimdElem): Kernel | null {
    const cached = this.kernels[elem];
    if (cached !== undefined) return cached;
    const mod = compiled(elem);
    let k: Kernel | null = null;
    if (mod !== null) {
      const { exports } = new WebAssembly.Instance(mod);
      const memory = exports.memory as WebAssembly.Memory;
      k = {
        elem,
        blocking: BLOCKING[elem],
        gemm: exports.gemm as GemmFn,
        packA: exports.packA as PackFn,
        packB: exports.packB as PackFn,
        memory,
        view: newView(elem, memory),
      };
    }
    this.kernels[elem] = k;
    return k;
  }

  /** The size of the linear memory of `elem`'s kernel instance in bytes, or 0 before it is made (internal, for tests). */
  memoryBytes(elem: SimdElem): number {
    return this.kernels[elem]?.memory.buffer.byteLength ?? 0;
  }

  /**
   * `C (+)= A · B` with the SIMD kernel for `elem`; the arguments are those of `matmulInto` (m, n, k
   * ≥ 1; C does not overlap A or B). Returns `false`, without touching C, when the engine has no
   * WebAssembly SIMD.
   */
  run(elem: SimdElem, m: number, n: number, k: number, a: MatmulOperand, b: MatmulOperand, c: MatmulOperand, accumulate: boolean): boolean {
    const kern = this.kernel(elem);
    if (kern === null) return false;
    const { spec, size, kc: KC, mc: MC, nc: NC } = kern.blocking;
    const { mr, nr } = spec;
    const kcMax = Math.min(KC, k);
    const ncMax = Math.min(NC, roundUp(n, nr));
    const mcMax = Math.min(MC, roundUp(m, mr));
    // row chunk: whole MC blocks whose C panel fits the budget (at least one block)
    const chunk = Math.max(mcMax, Math.floor(C_PANEL_BYTES / (ncMax * size) / MC) * MC);
    const panelRows = Math.min(chunk, roundUp(m, mr));
    // memory (bytes, each part a multiple of 16): packed A | packed B | C panel | staged A | staged B
    const aBytes = mcMax * kcMax * size;
    const bBytes = ncMax * kcMax * size;
    const pb = aBytes;
    const pc = pb + bBytes;
    const sa = pc + panelRows * ncMax * size;
    const sb = sa + aBytes;
    ensureMemory(kern, sb + bBytes);
    const { gemm, packA, packB } = kern;
    for (let ic = 0; ic < m; ic += chunk) {
      const mb = Math.min(chunk, m - ic);
      for (let j0 = 0; j0 < n; j0 += NC) {
        const nc = Math.min(NC, n - j0);
        const ncPad = roundUp(nc, nr);
        const ldc = ncPad * size;
        if (accumulate) transferC(kern.view, pc / size, ncPad, c, ic, mb, j0, nc, false);
        for (let p0 = 0; p0 < k; p0 += KC) {
          const kc = Math.min(KC, k - p0);
          packBlock(kern, packB, nr, b.data, b.offset + p0 * b.rowStride + j0 * b.colStride, b.colStride, b.rowStride, nc, kc, pb, sb);
          for (let i0 = 0; i0 < mb; i0 += MC) {
            const mc = Math.min(MC, mb - i0);
            packBlock(kern, packA, mr, a.data, a.offset + (ic + i0) * a.rowStride + p0 * a.colStride, a.rowStride, a.colStride, mc, kc, 0, sa);
            gemm(0, pb, pc + i0 * ldc, Math.ceil(mc / mr), ncPad / nr, kc, ldc, accumulate || p0 > 0 ? 1 : 0);
          }
        }
        transferC(kern.view, pc / size, ncPad, c, ic, mb, j0, nc, true);
      }
    }
    return true;
  }
}
