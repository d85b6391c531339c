/**
 * The public settings of the CPU backend (SIMD kernels, GEMM threads) and its public GEMM. Each
 * acts on a given `CpuBackend` instance, by default the one registered as `'cpu'`; new instances
 * take their defaults from the environment (`TENSORGRAD_CPU_SIMD`, `TENSORGRAD_CPU_THREADS`).
 */
import { findBackendSync } from '@tensorgrad/tensor';
import { CpuBackend } from './backend.js';
import type { MatmulOperand } from './matmul-core.js';

/** The instance registered as `'cpu'` (created if needed). */
function registeredCpu(op: string): CpuBackend {
  const b = findBackendSync('cpu');
  if (!(b instanceof CpuBackend)) {
    throw new TypeError(`${op}: the backend registered as 'cpu' is not a CpuBackend; pass the CpuBackend instance to act on as the last argument`);
  }
  return b;
}

/**
 * Turns the WebAssembly SIMD matrix-multiply kernels of a CPU backend (by default the one
 * registered as `'cpu'`) on or off (they back `matmul`, `conv2d` and the convolution gradients for
 * float32 and float64), and returns whether they are in use now: turning them on has no effect on
 * an engine without WebAssembly SIMD, where the TypeScript kernels always run. The default is on,
 * unless the environment variable `TENSORGRAD_CPU_SIMD` is `0` when the instance is created.
 * float32 products accumulate in float32 on the SIMD path (like a BLAS) and in float64 on the
 * TypeScript path, so the two differ in the last bits (well within float32 tolerances); float64
 * results agree to rounding.
 *
 * @example
 * ```ts
 * import { cpuSimdEnabled, setCpuSimd, CpuBackend } from '@tensorgrad/backend-cpu';
 * const before = cpuSimdEnabled();
 * setCpuSimd(false); // false
 * cpuSimdEnabled(); // false
 * setCpuSimd(before);
 * // another instance has its own setting
 * const other = new CpuBackend('other');
 * setCpuSimd(false, other); // false
 * cpuSimdEnabled() === before; // true
 * ```
 */
export function setCpuSimd(enabled: boolean, backend: CpuBackend = registeredCpu('setCpuSimd')): boolean {
  return backend.gemm.simdSwitch.set(enabled);
}

/**
 * Whether a CPU backend's (by default the `'cpu'` one's) matrix multiplies currently run on the
 * WebAssembly SIMD kernels: they are requested (see {@link setCpuSimd}) and the engine supports
 * WebAssembly SIMD.
 *
 * @example
 * ```ts
 * import { cpuSimdEnabled } from '@tensorgrad/backend-cpu';
 * typeof cpuSimdEnabled(); // 'boolean'
 * ```
 */
export function cpuSimdEnabled(backend: CpuBackend = registeredCpu('cpuSimdEnabled')): boolean {
  return backend.gemm.simdSwitch.enabled();
}

/**
 * Sets how many threads a CPU backend's (by default the `'cpu'` one's) matrix multiplies (behind
 * `matmul`, `conv2d` and the convolution gradients) may use, and returns how many they use now
 * (see {@link cpuThreads}). Products of at least 2²¹ multiply-adds are split by rows among the
 * threads; smaller ones, and every product where threads are unavailable (no `SharedArrayBuffer` or
 * workers, or with the WebAssembly SIMD kernels switched off), run on the calling thread. Node uses
 * `worker_threads`. Browsers use Web Workers, but only in a cross-origin-isolated page (served with
 * the headers `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp`; elsewhere `SharedArrayBuffer` does not exist and one thread is used); their workers
 * start in the background when threads are set here or at the first large product, and products
 * use the calling thread alone until the workers have started. Starting needs the page's event
 * loop to run tasks for some tens of milliseconds: awaiting a timer, an animation frame or I/O
 * gives it that time, while a loop that only awaits settled promises (such as the CPU backend's
 * `item()`) does not: `await cpuThreadsReady()` once waits for them. The default is the number of
 * cores (`navigator.hardwareConcurrency` in browsers), at most 4, or in Node the environment
 * variable `TENSORGRAD_CPU_THREADS` when the instance is created. Each backend instance has its own
 * workers. Results do not depend on the thread count: every element of C is summed in the same order.
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
export function setCpuThreads(n: number, backend: CpuBackend = registeredCpu('setCpuThreads')): number {
  return backend.gemm.threads.set(n);
}

/**
 * How many threads a CPU backend's (by default the `'cpu'` one's) large matrix multiplies use now:
 * the number requested (see {@link setCpuThreads}), or 1 where threads are unavailable (in
 * browsers: a page that is not cross-origin isolated).
 *
 * @example
 * ```ts
 * import { cpuThreads } from '@tensorgrad/backend-cpu';
 * cpuThreads() >= 1; // true
 * ```
 */
export function cpuThreads(backend: CpuBackend = registeredCpu('cpuThreads')): number {
  return backend.gemm.threads.count();
}

/**
 * Waits until a CPU backend's (by default the `'cpu'` one's) GEMM worker threads have started and
 * resolves to how many threads (the calling one included) large products can use now. In Node the
 * workers start synchronously, so this resolves at once to {@link cpuThreads}. In browsers they
 * start in the background and need the page's event loop to run tasks: a training loop that only
 * awaits settled promises (such as `item()` on this backend) never gives them that, so call this
 * once before it. It resolves early, with fewer threads, after `timeoutMs` (default 10 s) or when
 * threads were given up.
 *
 * @example
 * ```ts
 * import { cpuThreadsReady, setCpuThreads } from '@tensorgrad/backend-cpu';
 * setCpuThreads(1);
 * await cpuThreadsReady(); // 1
 * ```
 */
export async function cpuThreadsReady(timeoutMs?: number, backend?: CpuBackend): Promise<number> {
  return (backend ?? registeredCpu('cpuThreadsReady')).gemm.threads.whenReady(timeoutMs);
}

/**
 * Computes `C = A · B` (or `C += A · B` when `accumulate`) for an `m×k` matrix A and a `k×n`
 * matrix B, each given as a typed array with an offset and row/column strides (so `Aᵀ·B` and
 * `A·Bᵀ` are just swapped strides), with the GEMM (settings, kernels, threads) of a CPU backend,
 * by default the `'cpu'` one. C is written through its own strides; it must not overlap A or B.
 * With `k = 0` the product is zeros (C is zero-filled, or left as is when accumulating). All three
 * arrays should have the same element type. float32 accumulates in float32 on the WebAssembly SIMD
 * path (see {@link setCpuSimd}) and in float64 on the TypeScript path.
 *
 * @example
 * ```ts
 * import { matmulInto } from '@tensorgrad/backend-cpu';
 * const a = new Float64Array([1, 2, 3, 4, 5, 6]); // [[1, 2, 3], [4, 5, 6]]
 * const b = new Float64Array([1, 0, 0, 1, 1, 1]); // [[1, 0], [0, 1], [1, 1]]
 * const c = new Float64Array(4);
 * matmulInto(2, 2, 3,
 *   { data: a, offset: 0, rowStride: 3, colStride: 1 },
 *   { data: b, offset: 0, rowStride: 2, colStride: 1 },
 *   { data: c, offset: 0, rowStride: 2, colStride: 1 });
 * Array.from(c); // [4, 5, 10, 11]
 * // Aᵀ·A without a transposed copy: read A with swapped strides
 * const g = new Float64Array(9);
 * matmulInto(3, 3, 2,
 *   { data: a, offset: 0, rowStride: 1, colStride: 3 },
 *   { data: a, offset: 0, rowStride: 3, colStride: 1 },
 *   { data: g, offset: 0, rowStride: 3, colStride: 1 });
 * Array.from(g); // [17, 22, 27, 22, 29, 36, 27, 36, 45]
 * ```
 */
export function matmulInto(
  m: number,
  n: number,
  k: number,
  a: MatmulOperand,
  b: MatmulOperand,
  c: MatmulOperand,
  accumulate = false,
  backend: CpuBackend = registeredCpu('matmulInto'),
): void {
  backend.gemm.matmulInto(m, n, k, a, b, c, accumulate);
}
