/**
 * A pool of GPU buffers keyed by (size class, usage): creating and destroying a buffer per tensor
 * costs far more than an op on a small tensor, and a training step frees and re-creates the same
 * sizes every iteration. Sizes are rounded up to a class (powers of two up to 1 KiB, then four
 * classes per octave, so at most 25 % is wasted) so that nearby sizes share buffers.
 */

/** `GPUBufferUsage` flags (spelled out: Node has no `GPUBufferUsage` global unless Dawn's globals are installed). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/**
 * The byte size a request of `bytes` is rounded up to (at least 16).
 *
 * @example
 * ```ts
 * import { sizeClass } from '@tensorgrad/backend-webgpu';
 * sizeClass(4); // 16
 * sizeClass(1000); // 1024
 * sizeClass(5000); // 5120
 * ```
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 16) return 16;
  if (bytes <= 1024) return 2 ** Math.ceil(Math.log2(bytes));
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const step = octave / 4;
  return Math.ceil(bytes / step) * step;
}

/** Counters of a {@link BufferPool}. */
export interface PoolStats {
  /** Buffers created on the device so far. */
  created: number;
  /** Requests served from the pool. */
  reused: number;
  /** Free buffers held now. */
  freeBuffers: number;
  /** Bytes of the free buffers held now. */
  freeBytes: number;
}

/**
 * Free GPU buffers by size class and usage. `acquire` reuses one or creates one; `release` keeps
 * it for later (up to `limitBytes` of free buffers, beyond which released buffers are destroyed).
 *
 * @example
 * ```ts
 * import { BufferPool } from '@tensorgrad/backend-webgpu';
 * // needs a GPUDevice; without one the pool is only described:
 * typeof BufferPool; // 'function'
 * ```
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly counters: PoolStats = { created: 0, reused: 0, freeBuffers: 0, freeBytes: 0 };

  constructor(
    private readonly create: (size: number, usage: number) => GPUBuffer,
    /** Free bytes kept at most; buffers released beyond that are destroyed. */
    public limitBytes = 512 * 1024 * 1024,
    /** Destroys a buffer the pool gives up (the owner's hook, so that it can count its device buffers). */
    private readonly destroy: (buffer: GPUBuffer) => void = (buffer) => buffer.destroy(),
  ) {}

  /** A buffer of at least `bytes` bytes (exactly `sizeClass(bytes)`) with `usage`; `fresh` says whether it was just created (zero-filled). */
  acquire(bytes: number, usage: number): { buffer: GPUBuffer; fresh: boolean } {
    const size = sizeClass(bytes);
    const list = this.free.get(`${size}:${usage}`);
    const buffer = list?.pop();
    if (buffer) {
      this.counters.reused++;
      this.counters.freeBuffers--;
      this.counters.freeBytes -= size;
      return { buffer, fresh: false };
    }
    this.counters.created++;
    return { buffer: this.create(size, usage), fresh: true };
  }

  /** Returns `buffer` (acquired with `usage`) to the pool, or destroys it when the pool is full. */
  release(buffer: GPUBuffer, usage: number): void {
    const size = buffer.size;
    if (this.counters.freeBytes + size > this.limitBytes) {
      this.destroy(buffer);
      return;
    }
    const key = `${size}:${usage}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buffer);
    this.counters.freeBuffers++;
    this.counters.freeBytes += size;
  }

  /** Destroys every free buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) this.destroy(b);
    this.free.clear();
    this.counters.freeBuffers = 0;
    this.counters.freeBytes = 0;
  }

  /** A snapshot of the counters. */
  stats(): PoolStats {
    return { ...this.counters };
  }
}
