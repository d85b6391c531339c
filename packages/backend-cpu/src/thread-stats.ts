import { readyThreads, threadedProducts } from './wasm/gemm-threads.js';

/** Counters of the `cpu` backend's threaded matrix products (see {@link cpuThreadStats}). */
export interface CpuThreadStats {
  /** Threads ready to share a product now: the calling thread and every worker that has started. */
  readyThreads: number;
  /** Products run on the threaded path since the module loaded (take differences around a workload). */
  threadedProducts: number;
}

/**
 * What the `cpu` backend's GEMM threads are doing, for tests and diagnostics: how many threads
 * are ready now (in browsers the workers start in the background; `await cpuThreadsReady()` waits
 * for them) and how many matrix products have taken the threaded path so far.
 *
 * @example
 * ```ts
 * import { cpuThreadStats, setCpuThreads } from '@tensorgrad/backend-cpu';
 * setCpuThreads(1);
 * const before = cpuThreadStats();
 * before.readyThreads; // 1
 * cpuThreadStats().threadedProducts - before.threadedProducts; // 0
 * ```
 */
export function cpuThreadStats(): CpuThreadStats {
  return { readyThreads: readyThreads(), threadedProducts: threadedProducts() };
}
