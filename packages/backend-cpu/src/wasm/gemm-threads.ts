/**
 * The multi-threaded WebAssembly SIMD GEMM: the kernel modules of `gemm-simd.ts`, emitted to import
 * one shared `WebAssembly.Memory`, instantiated on the calling thread and on `threads - 1` Node
 * `worker_threads`, which all work on the same bytes.
 *
 * Per KC-deep slice of an NC-column panel, the calling thread copies the slice of B into the shared
 * memory and packs it (once, for everybody), copies the matching rows × KC block of A (a memcpy per
 * line), then splits the block's MR-row tiles evenly among the threads: each thread packs its rows
 * of A into a region of its own, MC rows at a time, and runs the macro-kernel on its rows of the
 * shared C panel. The calling thread does its share itself and then waits for the others.
 * Hand-over uses one 128-byte line of an `Int32Array` over a `SharedArrayBuffer` per thread:
 * the caller writes the task's parameters and a new sequence number (`Atomics.store` +
 * `Atomics.notify`); the worker spins briefly, then `Atomics.wait`s, on the sequence number, runs
 * the task and publishes the number back as done. `Atomics.wait` blocks the calling thread, which
 * Node allows on its main thread and browsers do not, so this path is used in Node only (elsewhere,
 * and where `SharedArrayBuffer` or `worker_threads` are missing, everything runs on one thread).
 * The workers are `unref`ed, so they never keep a process alive.
 */
import type { MatmulOperand } from '../matmul-core.js';
import { emitGemmModule } from './gemm-kernel.js';
import {
  BLOCKING,
  C_PANEL_BYTES,
  MIN_LINE,
  PAGE,
  newView,
  packBlock,
  roundUp,
  transferC,
  type Blocking,
  type FloatArray,
  type GemmFn,
  type Kernel,
  type PackFn,
  type SimdElem,
} from './gemm-simd.js';
import { cpuSimdEnabled } from './simd-switch.js';

// ---------------------------------------------------------------------------------------------
// settings

/** Below this many multiply-adds a product stays on one thread (hand-over costs a few µs per slice). */
const MIN_THREADED = 1 << 21;
// the most threads the default picks (more rarely helps a memory-bound GEMM of these sizes)
const DEFAULT_MAX = 4;

interface NodeLike {
  getBuiltinModule?: (id: string) => unknown;
  env?: Record<string, string | undefined>;
}
const nodeProcess = (globalThis as { process?: NodeLike }).process;

function builtin<T>(id: string): T | null {
  try {
    return (nodeProcess?.getBuiltinModule?.(id) as T | undefined) ?? null;
  } catch {
    return null;
  }
}

/**
 * Parses `TENSORGRAD_CPU_THREADS`: unset, empty or `auto` means the default (`undefined`); otherwise
 * a positive integer. Throws on anything else.
 */
export function parseThreadsEnv(value: string | undefined): number | undefined {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'auto') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`TENSORGRAD_CPU_THREADS: expected a positive integer or 'auto', got '${value}'; unset it or set e.g. TENSORGRAD_CPU_THREADS=1`);
  return n;
}

function defaultThreads(): number {
  const os = builtin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
  if (os === null) return 1;
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(n, DEFAULT_MAX));
}

let requested = parseThreadsEnv(nodeProcess?.env?.TENSORGRAD_CPU_THREADS) ?? defaultThreads();
// set when the workers could not be started: one thread from then on
let unavailable = false;
// tests set this to send every float product, however small, through the threaded path
let forced = false;

function threadsSupported(): boolean {
  return !unavailable && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && builtin('node:worker_threads') !== null;
}

/**
 * Sets how many threads the `cpu` backend's matrix multiplies (behind `matmul`, `conv2d` and the
 * convolution gradients) may use, and returns how many they use now (see {@link cpuThreads}).
 * Products of at least 2²¹ multiply-adds are split by rows among the threads; smaller ones, and
 * every product where threads are unavailable (no `SharedArrayBuffer` or `worker_threads`, as in
 * browsers for now, or with the WebAssembly SIMD kernels switched off), run on the calling thread.
 * The default is the number of cores, at most 4, or the environment variable
 * `TENSORGRAD_CPU_THREADS` when the package loads. Results do not depend on the thread count:
 * every element of C is summed in the same order.
 *
 * @example
 * ```ts
 * import { cpuThreads, setCpuThreads } from '@tensorgrad/backend-cpu';
 * const before = cpuThreads();
 * setCpuThreads(1); // 1
 * cpuThreads(); // 1
 * setCpuThreads(before);
 * ```
 */
export function setCpuThreads(n: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError(`setCpuThreads: expected a positive integer, got ${String(n)}; pass 1 to run on the calling thread only`);
  requested = n;
  if (pool !== null && pool.threads !== n) shutdownPool();
  return cpuThreads();
}

/**
 * How many threads the `cpu` backend's large matrix multiplies use now: the number requested (see
 * {@link setCpuThreads}), or 1 where threads are unavailable.
 *
 * @example
 * ```ts
 * import { cpuThreads } from '@tensorgrad/backend-cpu';
 * cpuThreads() >= 1; // true
 * ```
 */
export function cpuThreads(): number {
  return requested > 1 && threadsSupported() ? requested : 1;
}

/** Whether an `m×k · k×n` float product should run on the threaded path. */
export function useThreads(m: number, n: number, k: number): boolean {
  return (forced || m * n * k >= MIN_THREADED) && m > 4 && cpuThreads() > 1 && cpuSimdEnabled();
}

/** Sends every float product with more than one row tile through the threaded path (internal, for tests). */
export function forceThreads(on: boolean): void {
  forced = on;
}

// ---------------------------------------------------------------------------------------------
// the pool

// the staged rows × KC block of A is at most this big (or one MC×KC block)
const STAGE_A_BYTES = 4 << 20;
// control words per thread: a 128-byte line each, so that no two threads write the same line
const SLOT = 32;
// control fields (the worker's copy of runTask uses the same numbers)
const SEQ = 0;
const DONE = 1;
const ERR = 3;
// polls of the control word before sleeping in Atomics.wait (~17 ns each in V8, so ~1.7 ms): a
// sleeping thread took 70-400 µs to wake on the 2-core VM this was measured on, longer than a
// typical product, so workers keep polling through the short gaps between the products of a
// layer (im2col, the next image) and only sleep when the backend has been idle for a while
const SPIN = 100_000;
// how long pool start-up may take before threads are given up
const START_TIMEOUT_MS = 10_000;

interface TaskExports {
  readonly gemm: GemmFn;
  readonly packA: PackFn;
}

/**
 * Runs the task in control slot `o`: rows `[r0, r1)` of the staged A block, MC rows at a time,
 * packed into the thread's own region and multiplied by the packed B into the C panel. Runs on
 * the calling thread and, from its source text, in the workers, so it must not refer to anything
 * outside itself.
 */
function runTask(kernels: readonly TaskExports[], c: Int32Array, o: number): void {
  const k = kernels[c[o + 2]!]!;
  const src = c[o + 4]!;
  const ls = c[o + 5]!;
  const ks = c[o + 6]!;
  const r1 = c[o + 8]!;
  const pa = c[o + 9]!;
  const pb = c[o + 10]!;
  const pc = c[o + 11]!;
  const ldc = c[o + 12]!;
  const kc = c[o + 13]!;
  const nt = c[o + 14]!;
  const add = c[o + 15]!;
  const mcb = c[o + 16]!;
  const mr = c[o + 17]!;
  for (let i = c[o + 7]!; i < r1; i += mcb) {
    const mc = Math.min(mcb, r1 - i);
    k.packA(src + i * ls, ls, ks, mc, kc, pa);
    k.gemm(pa, pb, pc + i * ldc, Math.ceil(mc / mr), nt, kc, ldc, add);
  }
}

const WORKER_SOURCE = `'use strict';
const { workerData } = require('node:worker_threads');
const { memory, modules, control, slot } = workerData;
const c = new Int32Array(control);
const o = slot * ${SLOT};
const runTask = ${runTask.toString()};
let kernels;
try {
  kernels = modules.map((m) => new WebAssembly.Instance(m, { env: { memory } }).exports);
} catch (e) {
  Atomics.store(c, o + ${ERR}, 2);
}
Atomics.store(c, o + ${DONE}, 0);
Atomics.notify(c, o + ${DONE});
let seen = 0;
while (kernels !== undefined) {
  let s = Atomics.load(c, o + ${SEQ});
  for (let i = 0; s === seen && i < ${SPIN}; i++) s = Atomics.load(c, o + ${SEQ});
  while (s === seen) {
    Atomics.wait(c, o + ${SEQ}, seen);
    s = Atomics.load(c, o + ${SEQ});
  }
  if (s < 0) break;
  seen = s;
  try {
    runTask(kernels, c, o);
  } catch (e) {
    Atomics.store(c, o + ${ERR}, 1);
  }
  Atomics.store(c, o + ${DONE}, s);
  Atomics.notify(c, o + ${DONE});
}
`;

interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerCtor = new (source: string, options: { eval: true; workerData: unknown }) => WorkerLike;

interface Pool {
  readonly threads: number;
  readonly bytes: number;
  readonly kernels: Record<SimdElem, Kernel>;
  readonly control: Int32Array;
  readonly workers: WorkerLike[];
  seq: number;
}

let pool: Pool | null = null;
// products run on the threaded path so far (tests read it)
let threadedCount = 0;

/** How many products have run on the threaded path (internal, for tests). */
export function threadedProducts(): number {
  return threadedCount;
}

// the memory the threaded layout can need for `threads` threads (see threadedGemm)
function threadedBytes({ size, kc, mc, nc }: Blocking, threads: number): number {
  return threads * mc * kc * size + 2 * nc * kc * size + Math.max(C_PANEL_BYTES, mc * nc * size) + Math.max(STAGE_A_BYTES, mc * kc * size);
}

function shutdownPool(): void {
  const p = pool;
  pool = null;
  if (p === null) return;
  for (let t = 1; t < p.threads; t++) {
    Atomics.store(p.control, t * SLOT + SEQ, -1);
    Atomics.notify(p.control, t * SLOT + SEQ);
  }
  for (const w of p.workers) void w.terminate().catch(() => undefined);
}

/** Stops the worker threads (a later threaded product starts them again; internal, for tests). */
export function stopThreads(): void {
  shutdownPool();
}

function startPool(threads: number): Pool | null {
  const wt = builtin<{ Worker: WorkerCtor }>('node:worker_threads');
  if (wt === null) return null;
  const bytes = Math.max(threadedBytes(BLOCKING.f32, threads), threadedBytes(BLOCKING.f64, threads));
  const pages = Math.ceil(bytes / PAGE);
  const workers: WorkerLike[] = [];
  try {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const f32 = new WebAssembly.Module(emitGemmModule(BLOCKING.f32.spec, pages, true));
    const f64 = new WebAssembly.Module(emitGemmModule(BLOCKING.f64.spec, pages, true));
    const kernelOf = (elem: SimdElem, mod: WebAssembly.Module): Kernel => {
      const { exports } = new WebAssembly.Instance(mod, { env: { memory } });
      return { elem, blocking: BLOCKING[elem], gemm: exports.gemm as GemmFn, packA: exports.packA as PackFn, packB: exports.packB as PackFn, memory, view: newView(elem, memory) };
    };
    const kernels = { f32: kernelOf('f32', f32), f64: kernelOf('f64', f64) };
    const control = new Int32Array(new SharedArrayBuffer(threads * SLOT * 4));
    for (let t = 1; t < threads; t++) {
      control[t * SLOT + DONE] = -1;
      const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { memory, modules: [f32, f64], control: control.buffer, slot: t } });
      w.unref();
      workers.push(w);
    }
    // wait until every worker has instantiated the modules (or failed to)
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let t = 1; t < threads; t++) {
      const o = t * SLOT;
      while (Atomics.load(control, o + DONE) === -1) {
        const left = deadline - Date.now();
        if (left <= 0 || Atomics.wait(control, o + DONE, -1, left) === 'timed-out') throw new Error('worker start-up timed out');
      }
      if (Atomics.load(control, o + ERR) !== 0) throw new Error('worker could not instantiate the GEMM module');
    }
    return { threads, bytes, kernels, control, workers, seq: 0 };
  } catch {
    for (const w of workers) void w.terminate().catch(() => undefined);
    return null;
  }
}

function getPool(): Pool | null {
  const threads = cpuThreads();
  if (pool !== null && pool.threads === threads) return pool;
  shutdownPool();
  if (threads < 2) return null;
  pool = startPool(threads);
  if (pool === null) unavailable = true;
  return pool;
}

// waits until worker slot `o` reports sequence number `seq` done
function waitDone(c: Int32Array, o: number, seq: number): void {
  let d = Atomics.load(c, o + DONE);
  for (let i = 0; d !== seq && i < SPIN; i++) d = Atomics.load(c, o + DONE);
  while (d !== seq) {
    Atomics.wait(c, o + DONE, d);
    d = Atomics.load(c, o + DONE);
  }
}

/**
 * Copies the `rows × kc` block of A at `data[offset]` (row stride `rs`, column stride `cs`) into
 * wasm memory at element `s0`, with memcpys where it has unit-stride lines; returns the byte strides
 * `[rows, k]` of the copy.
 */
function stageA(view: FloatArray, size: number, s0: number, data: MatmulOperand['data'], offset: number, rs: number, cs: number, rows: number, kc: number): [number, number] {
  const alongK = cs === 1 || kc === 1;
  const alongRows = rs === 1 || rows === 1;
  if (alongK && (rs === kc || rows === 1)) {
    view.set(data.subarray(offset, offset + rows * kc), s0);
    return [kc * size, size];
  }
  if (alongRows && (cs === rows || kc === 1)) {
    view.set(data.subarray(offset, offset + rows * kc), s0);
    return [size, rows * size];
  }
  if (alongK && kc >= MIN_LINE) {
    for (let i = 0, o = offset; i < rows; i++, o += rs) view.set(data.subarray(o, o + kc), s0 + i * kc);
    return [kc * size, size];
  }
  if (alongRows && rows >= MIN_LINE) {
    for (let p = 0, o = offset; p < kc; p++, o += cs) view.set(data.subarray(o, o + rows), s0 + p * rows);
    return [size, rows * size];
  }
  let d = s0;
  for (let i = 0; i < rows; i++) for (let p = 0, o = offset + i * rs; p < kc; p++, o += cs) view[d++] = data[o]!;
  return [kc * size, size];
}

/**
 * `C (+)= A · B` on the shared-memory kernels with {@link cpuThreads} threads; the arguments are
 * those of `simdGemm`. Returns `false`, without touching C, when the threads cannot be used.
 */
export function threadedGemm(elem: SimdElem, m: number, n: number, k: number, a: MatmulOperand, b: MatmulOperand, c: MatmulOperand, accumulate: boolean): boolean {
  const p = getPool();
  if (p === null) return false;
  const kern = p.kernels[elem];
  const { spec, size, kc: KC, mc: MC, nc: NC } = kern.blocking;
  const { mr, nr } = spec;
  const T = p.threads;
  const kcMax = Math.min(KC, k);
  const ncMax = Math.min(NC, roundUp(n, nr));
  const mcMax = Math.min(MC, roundUp(m, mr));
  // row chunk: whole MC blocks whose C panel and staged A both fit their budgets (at least one block)
  const chunk = Math.max(mcMax, Math.min(Math.floor(C_PANEL_BYTES / (ncMax * size) / MC), Math.floor(STAGE_A_BYTES / (kcMax * size) / MC)) * MC);
  const panelRows = Math.min(chunk, roundUp(m, mr));
  // memory (bytes, each part a multiple of 16): packed A per thread | packed B | C panel | staged A | staged B
  const aBytes = mcMax * kcMax * size;
  const bBytes = ncMax * kcMax * size;
  const pb = T * aBytes;
  const pc = pb + bBytes;
  const sa = pc + panelRows * ncMax * size;
  const sb = sa + panelRows * kcMax * size;
  if (sb + bBytes > p.bytes) throw new Error(`threadedGemm: layout needs ${sb + bBytes} bytes, the shared memory has ${p.bytes} (a blocking bug)`);
  threadedCount++;
  const ctl = p.control;
  const mainKernels = [p.kernels.f32, p.kernels.f64];
  const elemIndex = elem === 'f32' ? 0 : 1;
  for (let ic = 0; ic < m; ic += chunk) {
    const mb = Math.min(chunk, m - ic);
    const tiles = Math.ceil(mb / mr);
    const used = Math.min(T, tiles);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = Math.min(NC, n - j0);
      const ncPad = roundUp(nc, nr);
      const ldc = ncPad * size;
      if (accumulate) transferC(kern.view, pc / size, ncPad, c, ic, mb, j0, nc, false);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = Math.min(KC, k - p0);
        packBlock(kern, kern.packB, nr, b.data, b.offset + p0 * b.rowStride + j0 * b.colStride, b.colStride, b.rowStride, nc, kc, pb, sb);
        const [ls, ks] = stageA(kern.view, size, sa / size, a.data, a.offset + ic * a.rowStride + p0 * a.colStride, a.rowStride, a.colStride, mb, kc);
        const seq = ++p.seq;
        // workers first, so that they start while the calling thread runs its own share (thread 0)
        for (let t = used - 1; t >= 0; t--) {
          const o = t * SLOT;
          const r0 = Math.floor((t * tiles) / used) * mr;
          const r1 = Math.min(mb, Math.floor(((t + 1) * tiles) / used) * mr);
          ctl[o + 2] = elemIndex;
          ctl[o + 4] = sa;
          ctl[o + 5] = ls;
          ctl[o + 6] = ks;
          ctl[o + 7] = r0;
          ctl[o + 8] = r1;
          ctl[o + 9] = t * aBytes;
          ctl[o + 10] = pb;
          ctl[o + 11] = pc;
          ctl[o + 12] = ldc;
          ctl[o + 13] = kc;
          ctl[o + 14] = ncPad / nr;
          ctl[o + 15] = accumulate || p0 > 0 ? 1 : 0;
          ctl[o + 16] = MC;
          ctl[o + 17] = mr;
          if (t > 0) {
            Atomics.store(ctl, o + SEQ, seq);
            Atomics.notify(ctl, o + SEQ);
          }
        }
        runTask(mainKernels, ctl, 0);
        let failed = false;
        for (let t = 1; t < used; t++) {
          waitDone(ctl, t * SLOT, seq);
          if (ctl[t * SLOT + ERR] !== 0) failed = true;
        }
        if (failed) {
          shutdownPool();
          unavailable = true;
          throw new Error('threadedGemm: a worker thread failed while multiplying; threads are now off (setCpuThreads has no effect until restart)');
        }
      }
      transferC(kern.view, pc / size, ncPad, c, ic, mb, j0, nc, true);
    }
  }
  return true;
}
