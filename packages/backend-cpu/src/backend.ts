import { shapeSize, type Backend, type DType, type MemoryInfo, type Shape, type TypedArray } from '@tensorgrad/tensor';
import type { KernelMap, KernelResult, StorageHandle } from '@tensorgrad/tensor/backend';
import { kernels } from './kernel-map.js';
import { BufferPool } from './buffer-pool.js';
import { Gemm } from './matmul-core.js';

/** The storage of the CPU backend: a typed array. */
export interface CpuBuffer {
  array: TypedArray;
  dtype: DType;
  /** Set once the buffer is freed (its array may then be reused by another buffer). */
  freed?: boolean;
}

/**
 * The pure-TypeScript CPU backend: storage is typed arrays, kernels are plain loops with
 * contiguous fast paths and a blocked, register-tiled matmul. It is the reference backend.
 *
 * Everything a backend instance uses is its own: its memory counters, its buffer pool, its GEMM
 * settings (SIMD, threads), worker pool and scratch buffers. Kernels reach them through
 * `ctx.backend`, so two instances never share state.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend, tensor } from '@tensorgrad/tensor';
 * import { CpuBackend } from '@tensorgrad/backend-cpu';
 * registerBackend('cpu2', () => new CpuBackend('cpu2'));
 * await setBackend('cpu2');
 * tensor([1, 2]).backend; // 'cpu2'
 * await setBackend('cpu');
 * ```
 */
export class CpuBackend implements Backend {
  readonly dtypes: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
  /**
   * Storage is typed arrays, so a tensor the garbage collector reclaims without `dispose()`
   * releases its storage and stops counting in `memory()`. Watching costs a few microseconds per
   * tensor made outside any `tidy` (none inside one); set it to `false` on an instance whose
   * tensors are all disposed explicitly to skip that.
   */
  reclaimable = true;
  readonly kernels: Partial<KernelMap<CpuBackend>> = { ...kernels };
  /** @internal Freed arrays kept for reuse (at most `TENSORGRAD_CPU_POOL_MB` MiB unless set otherwise). */
  readonly pool = new BufferPool();
  /**
   * @internal The matrix multiply: its SIMD and thread settings, wasm instances, workers and
   * scratch (use `setCpuSimd`/`setCpuThreads` to change them).
   */
  readonly gemm = new Gemm();
  /**
   * Whether kernels may compile their loops from source (one loop per element function, which V8
   * inlines). Turned off at the first attempt where the environment forbids code generation (a
   * Content-Security-Policy without 'unsafe-eval'); tests turn it off to check the fallback loops.
   */
  codegen = true;
  // live buffers and their bytes
  private buffers = 0;
  private bytes = 0;

  constructor(readonly name = 'cpu') {}

  alloc(dtype: DType, size: number): StorageHandle {
    return this.allocBuffer(dtype, size);
  }

  write(handle: StorageHandle, data: TypedArray): void {
    const buf = handle as CpuBuffer;
    if (data.length !== buf.array.length) {
      throw new RangeError(`cpu.write: expected ${buf.array.length} elements, got ${data.length}`);
    }
    buf.array.set(data);
  }

  read(handle: StorageHandle): Promise<TypedArray> {
    return Promise.resolve(this.readSync(handle));
  }

  readSync(handle: StorageHandle): TypedArray {
    return (handle as CpuBuffer).array.slice();
  }

  free(handle: StorageHandle): void {
    this.freeBuffer(handle as CpuBuffer);
  }

  memory(): MemoryInfo {
    return { numTensors: this.buffers, numBytes: this.bytes };
  }

  dispose(): void {
    // typed arrays are garbage-collected; only the arrays kept for reuse and the workers are dropped
    this.pool.empty();
    this.gemm.threads.stop();
  }

  /**
   * Allocates a counted buffer, reusing a pooled array of the same dtype and length when there is
   * one. Zero-filled unless `zero` is false, which a caller may pass only when it overwrites every
   * element before anyone reads the buffer.
   *
   * @example
   * ```ts
   * import { CpuBackend } from '@tensorgrad/backend-cpu';
   * const cpu = new CpuBackend('scratch');
   * const buf = cpu.allocBuffer('float32', 3);
   * cpu.memory().numBytes; // 12
   * cpu.freeBuffer(buf);
   * ```
   */
  allocBuffer(dtype: DType, size: number, zero = true): CpuBuffer {
    const array = this.pool.take(dtype, size, zero);
    this.buffers++;
    this.bytes += array.byteLength;
    return { array, dtype, freed: false };
  }

  /** Releases a buffer: its accounting, and its array to the pool. Freeing twice is an error. */
  freeBuffer(buf: CpuBuffer): void {
    if (buf.freed) throw new Error('cpu: a buffer was freed twice (a tensor disposed after its storage was released); this is a bug in tensorgrad, please report it');
    buf.freed = true;
    this.buffers--;
    this.bytes -= buf.array.byteLength;
    this.pool.give(buf.dtype, buf.array);
  }

  /**
   * Allocates a contiguous kernel result of `shape`/`dtype`; returns it with its array for writing.
   * The array is zero-filled unless `overwritten` says the kernel writes every element itself.
   *
   * @example
   * ```ts
   * import { CpuBackend } from '@tensorgrad/backend-cpu';
   * const cpu = new CpuBackend('scratch');
   * const { out, data } = cpu.result([2], 'int32');
   * data[1] = 5;
   * out.shape; // [2]
   * cpu.release(out);
   * cpu.memory().numTensors; // 0
   * ```
   */
  result(shape: Shape, dtype: DType, overwritten = false): { out: KernelResult; data: TypedArray } {
    const buf = this.allocBuffer(dtype, shapeSize(shape), !overwritten);
    return { out: { handle: buf, shape, dtype }, data: buf.array };
  }

  /** Frees a kernel result that a kernel only needed temporarily. */
  release(r: KernelResult): void {
    this.freeBuffer(r.handle as CpuBuffer);
  }
}
