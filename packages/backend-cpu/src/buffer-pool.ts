/**
 * Storage reuse for the CPU backend. A freed buffer's typed array is kept, per dtype and exact
 * length, and handed to the next allocation of that dtype and length (a training loop allocates
 * the same shapes every step). Large typed arrays live outside V8's heap: every fresh one costs a
 * zeroed mapping and a page fault per 4 KiB on first touch, which for a 1e6-element element-wise op
 * took as long as the arithmetic. Reused arrays are zero-filled again unless the caller overwrites
 * every element. Each `CpuBackend` owns one pool, which holds at most `TENSORGRAD_CPU_POOL_MB` MiB
 * (default 256; 0 disables) unless set otherwise.
 */
import { allocArray, type DType, type TypedArray } from '@tensorgrad/tensor';

/** Arrays shorter than this are left to the garbage collector: V8 allocates them cheaply. */
const MIN_POOLED = 1024;

/**
 * Parses `TENSORGRAD_CPU_POOL_MB`: unset or empty means the default (256 MiB); otherwise a
 * non-negative number of MiB.
 */
export function parsePoolEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 256 * 2 ** 20;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb < 0) {
    throw new RangeError(`TENSORGRAD_CPU_POOL_MB: expected a non-negative number of MiB, got '${value}'; unset it or set e.g. TENSORGRAD_CPU_POOL_MB=0 to disable the buffer pool`);
  }
  return Math.floor(mb * 2 ** 20);
}

/** The arrays one backend instance keeps for reuse, keyed by dtype and length. */
export class BufferPool {
  private limit: number;
  private readonly free = new Map<string, TypedArray[]>();
  private pooledBytes = 0;

  /** `limit`: the cap in bytes (default: `TENSORGRAD_CPU_POOL_MB`, else 256 MiB). */
  constructor(limit?: number) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    this.limit = limit ?? parsePoolEnv(env?.TENSORGRAD_CPU_POOL_MB);
  }

  /** Bytes currently held for reuse, and the cap. */
  stats(): { bytes: number; limit: number } {
    return { bytes: this.pooledBytes, limit: this.limit };
  }

  /** Sets the cap in bytes (0 disables pooling) and drops what no longer fits. */
  setLimit(bytes: number): void {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`setPoolLimit: expected a non-negative number of bytes, got ${bytes}`);
    this.limit = bytes;
    if (this.pooledBytes > this.limit) this.empty();
  }

  /** Drops every pooled array (the garbage collector reclaims them). */
  empty(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }

  /** A typed array of `dtype` and `size` elements: reused when one is pooled, zero-filled when `zero`. */
  take(dtype: DType, size: number, zero: boolean): TypedArray {
    if (size >= MIN_POOLED) {
      const list = this.free.get(`${dtype}:${size}`);
      const reused = list?.pop();
      if (reused) {
        this.pooledBytes -= reused.byteLength;
        if (zero) reused.fill(0);
        return reused;
      }
    }
    return allocArray(dtype, size);
  }

  /** Offers a no-longer-referenced array for reuse (kept only while the pool has room). */
  give(dtype: DType, array: TypedArray): void {
    if (array.length < MIN_POOLED || this.pooledBytes + array.byteLength > this.limit) return;
    const key = `${dtype}:${array.length}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(array);
    this.pooledBytes += array.byteLength;
  }
}
