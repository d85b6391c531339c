import {
  type Backend,
  type DType,
  type KernelMap,
  type MemoryInfo,
  type StorageHandle,
  type TypedArray,
} from '@tensorgrad/tensor';
import { kernels } from './kernels/index.js';
import { emptyPool } from './buffer-pool.js';
import { allocBuffer, cpuStats, freeBuffer } from './util.js';

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
  readonly kernels: Partial<KernelMap> = kernels;

  constructor(readonly name = 'cpu') {}

  alloc(dtype: DType, size: number): StorageHandle {
    return allocBuffer(dtype, size);
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
    freeBuffer(handle as CpuBuffer);
  }

  memory(): MemoryInfo {
    // shared by every CPU backend instance: kernels allocate their results directly
    return { numTensors: cpuStats.buffers, numBytes: cpuStats.bytes };
  }

  dispose(): void {
    // typed arrays are garbage-collected; only the arrays kept for reuse are dropped
    emptyPool();
  }
}
