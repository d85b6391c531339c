import * as tf from '@tensorflow/tfjs-core';
import { findBackendSync, memory, zeros } from 'tensorgrad';

/** What a leak check counts on one backend. */
export interface MemoryCounts {
  /** Live tensor objects (`memory().numTensors`). */
  tensors: number;
  /** Bytes of live storage (`memory().numBytes`). */
  bytes: number;
  /** Live storage buffers (`memory().numBuffers`). */
  buffers: number;
  /** Every GPU buffer the backend holds, pooled and staging ones included (`memory().numGpuBuffers`; webgpu only). */
  gpuBuffers?: number;
  /** tfjs tensors that are no backend's storage (tfjs backends only): a tfjs tensor leaked inside a kernel. */
  tfjsUnowned?: number;
}

/**
 * The counters of `backend` now: tensorgrad's tensors, bytes and storage buffers, every GPU
 * buffer on webgpu (after `emptyCache()`, so that pooled free buffers, whose number depends on
 * when batches were submitted, do not count: a buffer neither live nor pooled still does), and on
 * tfjs backends the tfjs tensors that are not tensorgrad storage.
 *
 * @example
 * ```ts
 * import { memoryCounts } from '@tensorgrad/fuzz';
 * import { tensor } from 'tensorgrad';
 * const before = memoryCounts('cpu');
 * const t = tensor([1, 2, 3]);
 * memoryCounts('cpu').tensors - before.tensors; // 1
 * t.dispose();
 * ```
 */
export function memoryCounts(backend: string): MemoryCounts {
  // a backend with a buffer pool (webgpu) first submits its pending work and destroys its free
  // buffers: what is left is live storage plus any buffer lost outside the pool's accounting, and
  // the count does not depend on how the pool happened to grow (it is refilled by the next run)
  (findBackendSync(backend) as { emptyCache?: () => void }).emptyCache?.();
  const m = memory(backend);
  const out: MemoryCounts = { tensors: m.numTensors, bytes: m.numBytes, buffers: m.numBuffers };
  if (m.numGpuBuffers !== undefined) out.gpuBuffers = m.numGpuBuffers;
  // tfjs's count covers every tfjs backend instance; the others' storage does not change while this one runs
  if (backend.startsWith('tfjs')) out.tfjsUnowned = tf.memory().numTensors - m.numBuffers;
  return out;
}

/**
 * {@link memoryCounts} once the backend's pending work has landed: asynchronous reads started by
 * the code under test (a `BatchNorm` reading its batch count back after `loadStateDict`) hold a
 * staging buffer until they resolve, which is not a leak. Reads one tensor back (on webgpu its
 * map lands after every earlier one) and lets a task pass so their callbacks run.
 *
 * @example
 * ```ts
 * import { settledCounts } from '@tensorgrad/fuzz';
 * (await settledCounts('cpu')).tensors >= 0; // true
 * ```
 */
export async function settledCounts(backend: string): Promise<MemoryCounts> {
  const probe = zeros([1], { backend });
  await probe.data();
  probe.dispose();
  await new Promise((resolve) => setTimeout(resolve, 0));
  return memoryCounts(backend);
}

/** Options of {@link expectNoLeak}. */
export interface NoLeakOptions {
  /** Runs before the first count: lazily created state (optimizer moments, pooled buffers, compiled pipelines) settles (default 2). */
  warmup?: number;
  /** Runs between the two counts (default 3). */
  repeats?: number;
}

/**
 * Runs `run` `warmup` times, counts the backend's memory ({@link memoryCounts}), runs it
 * `repeats` more times and counts again: any counter that grew is a leak, and the error says
 * which, by how much per run, and where to look. With several backends (a move between them),
 * each one's counters must stay flat.
 *
 * @example
 * ```ts
 * import { expectNoLeak } from '@tensorgrad/fuzz';
 * import { tensor, tidy } from 'tensorgrad';
 * await expectNoLeak('a tidy sum', 'cpu', () => tidy(() => tensor([1, 2]).sum()).dispose());
 * const kept: unknown[] = [];
 * await expectNoLeak('a kept tensor', 'cpu', () => kept.push(tensor([1]))).catch((e: Error) => e.message.split(':')[0]); // "leak in 'a kept tensor' on 'cpu'"
 * ```
 */
export async function expectNoLeak(what: string, backend: string | readonly string[], run: () => unknown, options: NoLeakOptions = {}): Promise<void> {
  const warmup = options.warmup ?? 2;
  const repeats = options.repeats ?? 3;
  const backends = typeof backend === 'string' ? [backend] : backend;
  for (let i = 0; i < warmup; i++) await run();
  const before: MemoryCounts[] = [];
  for (const b of backends) before.push(await settledCounts(b));
  for (let i = 0; i < repeats; i++) await run();
  const afters: MemoryCounts[] = [];
  for (const b of backends) afters.push(await settledCounts(b));
  const grew: string[] = [];
  backends.forEach((b, i) => {
    const after = afters[i]!;
    const was = before[i]!;
    for (const k of Object.keys(after) as (keyof MemoryCounts)[]) {
      const d = (after[k] ?? 0) - (was[k] ?? 0);
      if (d > 0) grew.push(`${backends.length > 1 ? `${b} ` : ''}${k} ${was[k]} → ${after[k]} (+${Number((d / repeats).toFixed(2))} per run)`);
    }
  });
  if (grew.length > 0) {
    throw new Error(
      `leak in '${what}' on '${backends.join("' and '")}': after ${warmup} warm-up run(s), ${repeats} more run(s) grew ${grew.join(', ')}; ` +
        'expected every counter flat. Find the tensor made per run and not disposed (run with TENSORGRAD_DEBUG=1 to print where ' +
        'garbage-collected tensors were created) and dispose() it or create it inside tidy()',
    );
  }
}
