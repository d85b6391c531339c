import * as tf from '@tensorflow/tfjs-core';
import { memory } from 'tensorgrad';

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
 * buffer on webgpu, and on tfjs backends the tfjs tensors that are not tensorgrad storage.
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
  const m = memory(backend);
  const out: MemoryCounts = { tensors: m.numTensors, bytes: m.numBytes, buffers: m.numBuffers };
  if (m.numGpuBuffers !== undefined) out.gpuBuffers = m.numGpuBuffers;
  // tfjs's count covers every tfjs backend instance; the others' storage does not change while this one runs
  if (backend.startsWith('tfjs')) out.tfjsUnowned = tf.memory().numTensors - m.numBuffers;
  return out;
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
 * which, by how much per run, and where to look.
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
export async function expectNoLeak(what: string, backend: string, run: () => unknown, options: NoLeakOptions = {}): Promise<void> {
  const warmup = options.warmup ?? 2;
  const repeats = options.repeats ?? 3;
  for (let i = 0; i < warmup; i++) await run();
  const before = memoryCounts(backend);
  for (let i = 0; i < repeats; i++) await run();
  const after = memoryCounts(backend);
  const grew = (Object.keys(after) as (keyof MemoryCounts)[])
    .filter((k) => (after[k] ?? 0) > (before[k] ?? 0))
    .map((k) => `${k} ${before[k]} → ${after[k]} (+${((after[k]! - before[k]!) / repeats).toFixed(2).replace(/\.00$/, '')} per run)`);
  if (grew.length > 0) {
    throw new Error(
      `leak in '${what}' on '${backend}': after ${warmup} warm-up run(s), ${repeats} more run(s) grew ${grew.join(', ')}; ` +
        'expected every counter flat. Find the tensor made per run and not disposed (run with TENSORGRAD_DEBUG=1 to print where ' +
        'garbage-collected tensors were created) and dispose() it or create it inside tidy()',
    );
  }
}
