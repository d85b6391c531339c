/**
 * The multi-threaded WebAssembly SIMD GEMM: the kernel modules of `gemm-simd.ts`, emitted to import
 * one shared `WebAssembly.Memory`, instantiated on the calling thread and on `threads - 1` workers
 * (Node `worker_threads`, or Web Workers in a cross-origin-isolated page), which all work on the
 * same bytes.
 *
 * Per KC-deep slice of an NC-column panel, the calling thread copies the slice of B into the shared
 * memory and packs it (once, for everybody), copies the matching rows × KC block of A (a memcpy per
 * line), then splits the block's MR-row tiles evenly among the threads: each thread packs its rows
 * of A into a region of its own, MC rows at a time, and runs the macro-kernel on its rows of the
 * shared C panel. The calling thread does its share itself and then waits for the others.
 * Hand-over uses one 128-byte line of an `Int32Array` over a `SharedArrayBuffer` per thread:
 * the caller writes the task's parameters and a new sequence number (`Atomics.store` +
 * `Atomics.notify`); the worker spins briefly, then `Atomics.wait`s, on the sequence number, runs
 * the task and publishes the number back as done.
 *
 * Node and browsers differ in two ways. Node lets its main thread block in `Atomics.wait`, so the
 * pool starts synchronously (the caller waits until every worker has instantiated the modules) and
 * the caller sleeps while waiting for slow workers. A browser's main thread may not block, and a Web
 * Worker only starts while the page's event loop runs tasks (a loop that awaits only settled
 * promises never lets it): there the pool starts in the background (on `setCpuThreads` or
 * the first large product), a product is split only among the workers that have reported ready
 * (on the calling thread alone until one has), and the caller polls `Atomics.load` for the others. The worker code is one source text for both, handed to Node
 * with `eval: true` and to browsers as a Blob URL, so there is no separate file to bundle. Where
 * neither is available (no `SharedArrayBuffer`: a page served without the COOP/COEP headers, or an
 * engine without workers) everything runs on one thread. Node's workers are `unref`ed, so they
 * never keep a process alive.
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
import type { SimdSwitch } from './simd-switch.js';

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

interface WebGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: unknown;
  Blob?: unknown;
  URL?: { createObjectURL?: unknown };
  DedicatedWorkerGlobalScope?: unknown;
}
const web = globalThis as WebGlobals;

/**
 * Where worker threads come from: Node's `worker_threads`, Web Workers (only in a
 * cross-origin-isolated page or worker, the only place browsers expose `SharedArrayBuffer` and
 * shared wasm memory), or nowhere. Isolation is fixed for a page's lifetime, so this is decided once.
 */
const host: 'node' | 'web' | null =
  builtin('node:worker_threads') !== null
    ? 'node'
    : web.crossOriginIsolated === true && typeof web.Worker === 'function' && typeof web.Blob === 'function' && typeof web.URL?.createObjectURL === 'function'
      ? 'web'
      : null;

/**
 * Whether the calling thread may block in `Atomics.wait`: Node's threads and dedicated workers
 * may; a browser's main thread may not (it throws).
 */
const canBlock =
  host === 'node' || (typeof web.DedicatedWorkerGlobalScope === 'function' && globalThis instanceof (web.DedicatedWorkerGlobalScope as new () => unknown));

function defaultThreads(): number {
  let n = 1;
  if (host === 'node') {
    const os = builtin<{ availableParallelism?: () => number; cpus: () => unknown[] }>('node:os');
    if (os !== null) n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  } else if (host === 'web') {
    const hc = web.navigator?.hardwareConcurrency;
    if (typeof hc === 'number' && Number.isInteger(hc)) n = hc;
  }
  return Math.max(1, Math.min(n, DEFAULT_MAX));
}

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
// how long a browser's main thread polls for a worker's part of one slice before giving threads up
// (a worker always reports, even on an error, so only a worker the browser killed gets here)
const STALL_MS = 60_000;

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

// The worker's loop, shared by Node and browsers; it starts with `memory`, `modules`, `control`
// and `slot` in scope. It instantiates the modules on the shared memory, reports ready (DONE = 0;
// ERR = 2 when instantiation failed), then runs each task published in its control slot.
const WORKER_BODY = `const c = new Int32Array(control);
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

// Node: the start-up data comes as `workerData`
const NODE_WORKER_SOURCE = `'use strict';
const { workerData } = require('node:worker_threads');
const { memory, modules, control, slot } = workerData;
${WORKER_BODY}`;

// browsers: the start-up data comes as the first message (a message that cannot be received, e.g.
// shared memory outside an isolated page, is reported back so that the pool gives threads up)
const WEB_WORKER_SOURCE = `'use strict';
self.onmessageerror = () => self.postMessage('failed');
self.onmessage = (event) => {
  self.onmessage = null;
  const { memory, modules, control, slot } = event.data;
  ${WORKER_BODY}
};
`;

// a pure cache: the Blob URL of one constant source text, shared by every backend instance's workers
let webWorkerUrl: string | null = null;

// the Blob URL of the browser worker's source, made once and kept for the page's lifetime (a worker
// may still be loading it when another is created)
function workerUrl(): string {
  webWorkerUrl ??= URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
  return webWorkerUrl;
}

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerCtor = new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;

interface Pool {
  readonly threads: number;
  readonly bytes: number;
  readonly kernels: Record<SimdElem, Kernel>;
  readonly control: Int32Array;
  /** Ends the workers (after they have been told to stop). */
  readonly terminate: () => void;
  seq: number;
}

// the memory the threaded layout can need for `threads` threads (see GemmThreads.run)
function threadedBytes({ size, kc, mc, nc }: Blocking, threads: number): number {
  return threads * mc * kc * size + 2 * nc * kc * size + Math.max(C_PANEL_BYTES, mc * nc * size) + Math.max(STAGE_A_BYTES, mc * kc * size);
}

// starts a pool of `threads` threads; `failed` is called when a browser reports that a worker is gone
function startPool(threads: number, failed: (p: Pool) => void): Pool | null {
  const bytes = Math.max(threadedBytes(BLOCKING.f32, threads), threadedBytes(BLOCKING.f64, threads));
  const pages = Math.ceil(bytes / PAGE);
  let terminate = (): void => undefined;
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
    // DONE = -1: not started yet
    for (let t = 1; t < threads; t++) control[t * SLOT + DONE] = -1;
    const start = (slot: number): unknown => ({ memory, modules: [f32, f64], control: control.buffer, slot });
    if (host === 'node') {
      const wt = builtin<{ Worker: NodeWorkerCtor }>('node:worker_threads');
      if (wt === null) return null;
      const workers: NodeWorker[] = [];
      terminate = () => {
        for (const w of workers) void w.terminate().catch(() => undefined);
      };
      for (let t = 1; t < threads; t++) {
        const w = new wt.Worker(NODE_WORKER_SOURCE, { eval: true, workerData: start(t) });
        w.unref();
        workers.push(w);
      }
      // Node's main thread may block: wait until every worker has instantiated the modules (or failed to)
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (let t = 1; t < threads; t++) {
        const o = t * SLOT;
        while (Atomics.load(control, o + DONE) === -1) {
          const left = deadline - Date.now();
          if (left <= 0 || Atomics.wait(control, o + DONE, -1, left) === 'timed-out') throw new Error('worker start-up timed out');
        }
        if (Atomics.load(control, o + ERR) !== 0) throw new Error('worker could not instantiate the GEMM module');
      }
    } else if (host === 'web') {
      const workers: Worker[] = [];
      terminate = () => {
        for (const w of workers) w.terminate();
      };
      const p: Pool = { threads, bytes, kernels, control, terminate: () => terminate(), seq: 0 };
      // a worker that cannot load (e.g. a Content-Security-Policy without blob: workers) or cannot
      // receive the shared memory never reports ready; give threads up when the browser says so
      for (let t = 1; t < threads; t++) {
        const w = new Worker(workerUrl(), { name: `tensorgrad-gemm-${t}` });
        w.onerror = () => failed(p);
        w.onmessage = () => failed(p);
        w.postMessage(start(t));
        workers.push(w);
      }
      // no waiting here: the workers start once the event loop gets a turn, and threadedGemm only
      // hands work to those that have reported ready
      return p;
    } else {
      return null;
    }
    return { threads, bytes, kernels, control, terminate, seq: 0 };
  } catch {
    terminate();
    return null;
  }
}


// waits until worker slot `o` reports sequence number `seq` done; false when a browser's main
// thread polled past STALL_MS (the worker is gone)
function waitDone(c: Int32Array, o: number, seq: number): boolean {
  let d = Atomics.load(c, o + DONE);
  for (let i = 0; d !== seq && i < SPIN; i++) d = Atomics.load(c, o + DONE);
  if (canBlock) {
    while (d !== seq) {
      Atomics.wait(c, o + DONE, d);
      d = Atomics.load(c, o + DONE);
    }
    return true;
  }
  // a browser's main thread may not block in Atomics.wait: poll on (the others finish about when
  // the calling thread does, as the rows are split evenly)
  const deadline = Date.now() + STALL_MS;
  while (d !== seq) {
    for (let i = 0; d !== seq && i < SPIN; i++) d = Atomics.load(c, o + DONE);
    if (d !== seq && Date.now() > deadline) return false;
  }
  return true;
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

/** The thread settings and worker pool of one backend instance. */
export class GemmThreads {
  private requested = parseThreadsEnv(nodeProcess?.env?.TENSORGRAD_CPU_THREADS) ?? defaultThreads();
  // set when the workers could not be started: one thread from then on
  private unavailable = false;
  // tests set this to send every float product, however small, through the threaded path
  private forced = false;
  private current: Pool | null = null;
  /** How many products have run on the threaded path (internal, for tests). */
  products = 0;

  /** `simd`: the SIMD setting of the same backend (threads only run with the SIMD kernels on). */
  constructor(private readonly simd: SimdSwitch) {}

  private supported(): boolean {
    return !this.unavailable && host !== null && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
  }

  /** Sets the requested thread count; returns how many are used now (see `setCpuThreads`). */
  set(n: number): number {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError(`setCpuThreads: expected a positive integer, got ${String(n)}; pass 1 to run on the calling thread only`);
    this.requested = n;
    if (this.current !== null && this.current.threads !== n) this.shutdown();
    // Web Workers start asynchronously: start them now, so that they are ready by the first large product
    if (host === 'web' && this.count() > 1 && this.simd.enabled()) this.pool();
    return this.count();
  }

  /** The thread count large products use now: the requested one, or 1 where threads are unavailable. */
  count(): number {
    return this.requested > 1 && this.supported() ? this.requested : 1;
  }

  /** Whether an `m×k · k×n` float product should run on the threaded path. */
  use(m: number, n: number, k: number): boolean {
    return (this.forced || m * n * k >= MIN_THREADED) && m > 4 && this.count() > 1 && this.simd.enabled();
  }

  /** Sends every float product with more than one row tile through the threaded path (internal, for tests). */
  force(on: boolean): void {
    this.forced = on;
  }

  private shutdown(): void {
    const p = this.current;
    this.current = null;
    if (p === null) return;
    for (let t = 1; t < p.threads; t++) {
      Atomics.store(p.control, t * SLOT + SEQ, -1);
      Atomics.notify(p.control, t * SLOT + SEQ);
    }
    p.terminate();
  }

  // gives threads up for good after a worker failed: one thread from then on
  private fail(): void {
    this.shutdown();
    this.unavailable = true;
  }

  /** Stops the worker threads (a later threaded product starts them again). */
  stop(): void {
    this.shutdown();
  }

  private pool(): Pool | null {
    const threads = this.count();
    if (this.current !== null && this.current.threads === threads) return this.current;
    this.shutdown();
    if (threads < 2) return null;
    this.current = startPool(threads, (p) => {
      if (this.current === p) this.fail();
    });
    if (this.current === null) this.unavailable = true;
    return this.current;
  }

  /**
   * How many threads are ready to share a product now: the calling thread and every worker that has
   * started (internal, for tests). In Node the workers start with the pool, which this starts; in
   * browsers they start in the background.
   */
  ready(): number {
    if (!this.simd.enabled()) return 1;
    const p = this.pool();
    if (p === null) return 1;
    let n = 1;
    for (let t = 1; t < p.threads; t++) if (Atomics.load(p.control, t * SLOT + DONE) !== -1 && Atomics.load(p.control, t * SLOT + ERR) === 0) n++;
    return n;
  }

  /** Waits until the workers have started, or `timeoutMs` passed (see `cpuThreadsReady`). */
  async whenReady(timeoutMs = START_TIMEOUT_MS): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = this.ready();
      if (n >= this.count() || Date.now() >= deadline) return n;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /**
   * `C (+)= A · B` on the shared-memory kernels with {@link GemmThreads.count} threads; the
   * arguments are those of `SimdGemm.run`. Returns `false`, without touching C, when the threads
   * cannot be used.
   */
  run(elem: SimdElem, m: number, n: number, k: number, a: MatmulOperand, b: MatmulOperand, c: MatmulOperand, accumulate: boolean): boolean {
    const p = this.pool();
    if (p === null) return false;
    const ctl = p.control;
    // the threads that share this product: the calling thread (slot 0) and every worker that has
    // started (in Node all of them; in browsers they start in the background and must not be waited for)
    const slots = [0];
    for (let t = 1; t < p.threads; t++) {
      if (Atomics.load(ctl, t * SLOT + DONE) === -1) continue;
      if (Atomics.load(ctl, t * SLOT + ERR) !== 0) {
        this.fail();
        return false;
      }
      slots.push(t);
    }
    if (slots.length < 2) return false;
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
    this.products++;
    const mainKernels = [p.kernels.f32, p.kernels.f64];
    const elemIndex = elem === 'f32' ? 0 : 1;
    for (let ic = 0; ic < m; ic += chunk) {
      const mb = Math.min(chunk, m - ic);
      const tiles = Math.ceil(mb / mr);
      const used = Math.min(slots.length, tiles);
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
            const slot = slots[t]!;
            const o = slot * SLOT;
            const r0 = Math.floor((t * tiles) / used) * mr;
            const r1 = Math.min(mb, Math.floor(((t + 1) * tiles) / used) * mr);
            ctl[o + 2] = elemIndex;
            ctl[o + 4] = sa;
            ctl[o + 5] = ls;
            ctl[o + 6] = ks;
            ctl[o + 7] = r0;
            ctl[o + 8] = r1;
            ctl[o + 9] = slot * aBytes;
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
            const o = slots[t]! * SLOT;
            if (!waitDone(ctl, o, seq)) {
              this.fail();
              throw new Error(`threadedGemm: a worker thread gave no answer for ${STALL_MS / 1000} s; threads are now off (setCpuThreads has no effect until the page is reloaded)`);
            }
            if (ctl[o + ERR] !== 0) failed = true;
          }
          if (failed) {
            this.fail();
            throw new Error('threadedGemm: a worker thread failed while multiplying; threads are now off (setCpuThreads has no effect until restart)');
          }
        }
        transferC(kern.view, pc / size, ncPad, c, ic, mb, j0, nc, true);
      }
    }
    return true;
  }
}
