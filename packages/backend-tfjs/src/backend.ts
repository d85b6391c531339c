import * as tf from '@tensorflow/tfjs-core';
import { shapeSize, type Backend, type DType, type MemoryInfo, type TypedArray } from '@tensorgrad/tensor';
import { isContiguousLayout, stridedOffsets, type KernelMap, type KernelName, type KernelResult, type KernelTensor, type StorageHandle } from '@tensorgrad/tensor/backend';
import { activateEngine, initEngine, type TfjsEngine, type WasmPaths } from './engine.js';
import { kernels } from './kernels.js';
import { expand, materialise, unexpanded } from './view.js';

const DTYPES = ['float32', 'int32', 'bool'] as const;
const BYTES: Record<(typeof DTYPES)[number], number> = { float32: 4, int32: 4, bool: 1 };

/**
 * The storage of the tfjs backend: a flat 1-D tfjs tensor, shared by a tensor and its views
 * (in-place ops replace it: tfjs tensors are immutable).
 *
 * @example
 * ```ts
 * import { tensor, toAsync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import type { TfjsStorage } from '@tensorgrad/backend-tfjs';
 * const t = await toAsync(tensor([[1, 2], [3, 4]]), 'tfjs');
 * const storage = t._storage.handle as TfjsStorage;
 * storage.tensor.shape; // [4]
 * storage.dtype; // 'float32'
 * ```
 */
export class TfjsStorage {
  /** @internal */
  constructor(
    /** The tfjs tensor holding the data (1-D, `size` elements). */
    public tensor: tf.Tensor,
    /** The tensorgrad dtype (the same name as the tfjs dtype). */
    readonly dtype: DType,
    /** Number of elements. */
    readonly size: number,
  ) {}
}

/** Options of {@link TfjsBackend.create} and {@link registerTfjsBackend}. */
export interface TfjsBackendOptions {
  /** The tensorgrad backend name (default `'tfjs'` for the cpu engine, `'tfjs-wasm'` for wasm). */
  name?: string;
  /** The tfjs engine: `'cpu'` (default, `@tensorflow/tfjs-backend-cpu`) or `'wasm'` (`@tensorflow/tfjs-backend-wasm`). */
  engine?: TfjsEngine;
  /**
   * Where the wasm engine loads its `.wasm` files from (tfjs's `setWasmPaths`): a folder prefix
   * or a file map. Default: in Node the installed package's `dist/` folder, elsewhere tfjs's own
   * default (next to the script). Used only by the first wasm backend created.
   */
  wasmPaths?: WasmPaths;
}

function unsupportedDtype(where: string, dtype: string): TypeError {
  return new TypeError(
    `backend-tfjs ${where}: dtype ${dtype} is not supported (tfjs stores ${DTYPES.join(', ')}; float64 is not supported at all); ` +
      `convert with .to('float32') first or use the 'cpu' backend for float64`,
  );
}

/**
 * A tensorgrad backend whose storage is tfjs tensors and whose kernels call tfjs-core ops on one
 * tfjs engine (`cpu` or `wasm`). Create it with {@link TfjsBackend.create} (or register it with
 * {@link registerTfjsBackend}); importing the package already registers `'tfjs'` and `'tfjs-wasm'`.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { TfjsBackend } from '@tensorgrad/backend-tfjs';
 * registerBackend('tfjs-mine', () => TfjsBackend.create({ name: 'tfjs-mine' }));
 * await setBackend('tfjs-mine');
 * const y = tensor([1, 2, 3]).mul(2);
 * y.backend; // 'tfjs-mine'
 * await y.array(); // [2, 4, 6]
 * await setBackend('cpu');
 * ```
 */
export class TfjsBackend implements Backend {
  readonly dtypes: readonly DType[] = DTYPES;
  /** Every kernel (one map shared by all instances: a kernel reaches its backend through `ctx.backend`). */
  readonly kernels: KernelMap<TfjsBackend> = kernels;
  // the storage tensors this backend holds (its memory() reports these)
  private readonly handles = new Set<TfjsStorage>();
  private heldBytes = 0;
  private disposed = false;
  /**
   * For `matmul` on the wasm engine: the shape each right-hand storage (by tfjs data id) was first
   * multiplied with, per transpose flag (see the matmul kernel). Per instance: data ids are
   * never shared between backends.
   *
   * @internal
   */
  readonly wasmMatmulShapes = new WeakMap<object, Map<boolean, string>>();

  /**
   * Creates a backend on an initialised engine; use {@link TfjsBackend.create}, which loads and
   * initialises the engine first.
   */
  constructor(
    /** The tensorgrad backend name. */
    readonly name: string,
    /** The tfjs engine its kernels run on. */
    readonly engine: TfjsEngine,
  ) {
    activateEngine(engine);
  }

  /**
   * Loads the engine's package (a missing one is an error naming the package to install),
   * initialises the engine and creates the backend.
   *
   * @example
   * ```ts
   * import { TfjsBackend } from '@tensorgrad/backend-tfjs';
   * const b = await TfjsBackend.create({ name: 'tfjs-example', engine: 'wasm' });
   * b.engine; // 'wasm'
   * b.dtypes; // ['float32', 'int32', 'bool']
   * b.dispose();
   * ```
   */
  static async create(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
    const engine = options.engine ?? 'cpu';
    if (engine !== 'cpu' && engine !== 'wasm') {
      throw new TypeError(`backend-tfjs: unknown engine ${JSON.stringify(engine)}; expected 'cpu' or 'wasm'`);
    }
    await initEngine(engine, options.wasmPaths === undefined ? {} : { wasmPaths: options.wasmPaths });
    return new TfjsBackend(options.name ?? (engine === 'cpu' ? 'tfjs' : `tfjs-${engine}`), engine);
  }

  /** Number of storage tensors this backend holds. @internal */
  get storageCount(): number {
    return this.handles.size;
  }

  private check(where: string): void {
    if (this.disposed) throw new Error(`backend '${this.name}' ${where}: the backend was disposed`);
  }

  private adopt(t: tf.Tensor, dtype: DType): TfjsStorage {
    // kept: a tf.tidy of the caller's around tensorgrad code must not free tensorgrad's storage
    tf.keep(t);
    const s = new TfjsStorage(t, dtype, t.size);
    this.handles.add(s);
    this.heldBytes += t.size * BYTES[dtype as keyof typeof BYTES];
    return s;
  }

  alloc(dtype: DType, size: number): StorageHandle {
    this.check('alloc');
    if (!(DTYPES as readonly string[]).includes(dtype)) throw unsupportedDtype('alloc', dtype);
    activateEngine(this.engine);
    return this.adopt(tf.zeros([size], dtype as 'float32' | 'int32' | 'bool'), dtype);
  }

  write(handle: StorageHandle, data: TypedArray): void {
    this.check('write');
    const s = handle as TfjsStorage;
    if (data.length !== s.size) throw new RangeError(`${this.name}.write: expected ${s.size} elements, got ${data.length}`);
    if (data instanceof Float64Array) throw unsupportedDtype('write', 'float64');
    activateEngine(this.engine);
    // a copy: tfjs's cpu engine would keep the caller's array as its storage
    const t = tf.keep(tf.tensor1d(data.slice() as Float32Array | Int32Array | Uint8Array, s.dtype as 'float32' | 'int32' | 'bool'));
    s.tensor.dispose();
    s.tensor = t;
  }

  async read(handle: StorageHandle): Promise<TypedArray> {
    this.check('read');
    const s = handle as TfjsStorage;
    return this.copyOut(s, await s.tensor.data());
  }

  readSync(handle: StorageHandle): TypedArray {
    this.check('readSync');
    const s = handle as TfjsStorage;
    return this.copyOut(s, s.tensor.dataSync());
  }

  // tfjs's cpu engine returns its own storage array: hand out a copy of the right type
  private copyOut(s: TfjsStorage, data: ArrayLike<number>): TypedArray {
    if (s.dtype === 'float32') return Float32Array.from(data);
    if (s.dtype === 'int32') return Int32Array.from(data);
    return Uint8Array.from(data);
  }

  free(handle: StorageHandle): void {
    const s = handle as TfjsStorage;
    if (!this.handles.delete(s)) return;
    s.tensor.dispose();
    this.heldBytes -= s.size * BYTES[s.dtype as keyof typeof BYTES];
  }

  /**
   * `numTensors` is the number of storage tensors (tfjs tensors) this backend holds and `numBytes`
   * their bytes: counted per instance, so several tfjs backends (on one or both engines) each
   * report their own. Every other tfjs tensor a kernel makes is freed by the kernel's `tf.tidy`;
   * the tests check that tfjs's own global count (`tf.memory().numTensors`) moves exactly with
   * these counts.
   */
  memory(): MemoryInfo {
    return { numTensors: this.handles.size, numBytes: this.heldBytes };
  }

  /** Frees every storage tensor of this backend; tensors that used it can no longer be read. */
  dispose(): void {
    for (const s of this.handles) s.tensor.dispose();
    this.handles.clear();
    this.heldBytes = 0;
    this.disposed = true;
  }

  // ---- what kernels use (through ctx.backend) -----------------------------------------------------

  private finish(kernel: KernelName, dtype: DType, t: tf.Tensor): KernelResult {
    if (t.dtype !== dtype) {
      throw new Error(`backend '${this.name}' kernel ${kernel}: internal error, produced a ${t.dtype} tensor where ${dtype} was expected`);
    }
    const shape = [...t.shape];
    const flat = tf.reshape(t, [shapeSize(shape)]);
    return { handle: this.adopt(flat, dtype), shape, dtype };
  }

  /**
   * Runs `fn` on this backend's engine inside `tf.tidy` and returns its result as a kernel result
   * of dtype `dtype` (its shape is the returned tensor's).
   *
   * @internal
   */
  compute(kernel: KernelName, dtype: DType, fn: () => tf.Tensor): KernelResult {
    this.check(kernel);
    activateEngine(this.engine);
    let result: KernelResult | undefined;
    // the flat result is made inside the scope, so the scope frees every other tensor
    tf.tidy(() => {
      result = this.finish(kernel, dtype, fn());
      return (result.handle as TfjsStorage).tensor;
    });
    return result!;
  }

  /** {@link TfjsBackend.compute} for kernels with several results. @internal */
  computeMany(kernel: KernelName, dtypes: readonly DType[], fn: () => tf.Tensor[]): KernelResult[] {
    this.check(kernel);
    activateEngine(this.engine);
    let results: KernelResult[] = [];
    tf.tidy(() => {
      const ts = fn();
      results = ts.map((t, i) => this.finish(kernel, dtypes[i]!, t));
      return results.map((r) => (r.handle as TfjsStorage).tensor);
    });
    return results;
  }

  /**
   * Runs `fn` inside `tf.tidy` on this backend's engine and writes each returned tensor into the
   * corresponding view (in-place kernels: `copy_`, `adamUpdate_`).
   *
   * @internal
   */
  update(kernel: KernelName, targets: readonly KernelTensor[], fn: () => tf.Tensor[]): void {
    this.check(kernel);
    activateEngine(this.engine);
    const fresh = tf.tidy(() => {
      const values = fn();
      return targets.map((dst, i) => this.written(dst, values[i]!));
    });
    targets.forEach((dst, i) => {
      const s = dst.handle as TfjsStorage;
      tf.keep(fresh[i]!);
      s.tensor.dispose();
      s.tensor = fresh[i]!;
    });
  }

  /** The tfjs tensor of a (strided) view, of its logical shape; only inside compute/update. @internal */
  view(t: KernelTensor): tf.Tensor {
    return materialise(this.storage(t), t);
  }

  /**
   * A view for a tfjs op that broadcasts by itself: its broadcast (stride-0) dims left at size 1
   * (leading ones dropped), so nothing is expanded in memory; only inside compute/update.
   *
   * @internal
   */
  operand(t: KernelTensor): tf.Tensor {
    return unexpanded(this.storage(t), t);
  }

  /** `x` broadcast to `shape` (a binary op's result when both operands were broadcast). @internal */
  expand(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
    return expand(x, shape);
  }

  /** The flat 1-D storage tensor behind a view; only inside compute/update (do not dispose). @internal */
  storage(t: KernelTensor): tf.Tensor {
    return (t.handle as TfjsStorage).tensor;
  }

  // the new flat storage of `dst` after writing `value` (of dst's shape) through its strides
  private written(dst: KernelTensor, value: tf.Tensor): tf.Tensor {
    const storage = (dst.handle as TfjsStorage).tensor;
    const n = shapeSize(dst.shape);
    const size = storage.size;
    const flat = tf.reshape(tf.cast(value, storage.dtype), [n]);
    if (n === 0) return tf.clone(storage);
    if (isContiguousLayout(dst.shape, dst.strides)) {
      if (dst.offset === 0 && n === size) return flat;
      const parts: tf.Tensor[] = [];
      if (dst.offset > 0) parts.push(tf.slice(storage, [0], [dst.offset]));
      parts.push(flat);
      if (dst.offset + n < size) parts.push(tf.slice(storage, [dst.offset + n], [size - dst.offset - n]));
      return tf.concat(parts);
    }
    // every storage element takes its value from the old storage or from the written values:
    // one gather of [old, values] by a map built from the view's offsets (the last write wins
    // where a view repeats an element)
    const map = new Int32Array(size);
    for (let i = 0; i < size; i++) map[i] = i;
    const offs = stridedOffsets(dst.shape, dst.strides, dst.offset);
    for (let i = 0; i < n; i++) map[offs[i]!] = size + i;
    return tf.gather(tf.concat([storage, flat]), tf.tensor1d(map, 'int32'));
  }
}
