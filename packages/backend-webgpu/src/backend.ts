import type { Backend, DType, MemoryInfo, TypedArray } from '@tensorgrad/tensor';
import type { KernelMap, StorageHandle } from '@tensorgrad/tensor/backend';
import { BufferPool, BufferUsage, type PoolStats } from './buffer-pool.js';
import { requestWebGPU, type WebGPUOptions } from './device.js';
import { kernels } from './kernels.js';
import { WGSL_COMMON, wgslType } from './wgsl.js';

/** Usage of every tensor buffer: bound as storage, filled by writeBuffer/clearBuffer, copied out for reads. */
const TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
const STAGING_USAGE = BufferUsage.MAP_READ | BufferUsage.COPY_DST;
const MAP_READ_MODE = 0x0001; // GPUMapMode.READ

/**
 * The storage of the WebGPU backend: one GPU buffer (from the pool, so possibly larger than
 * needed) holding `size` elements of 4 bytes (`bool` as one `u32` 0/1 per element).
 */
export interface GpuStorage {
  /** The buffer; its length in bytes is a size class ≥ `4 · size`. */
  readonly buffer: GPUBuffer;
  /** The dtype of its elements. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** The backend that owns it (`run` checks that every buffer it binds is its own). */
  readonly backend: WebGPUBackend;
  /** @internal the buffer must be cleared before its first use (a reused pool buffer given out by `alloc`). */
  needsZero: boolean;
  /** @internal the batch that last referenced it (a buffer in the batch being recorded cannot go back to the pool yet). */
  lastBatch: number;
  /** @internal freed. */
  freed: boolean;
}

/**
 * A WGSL compute program. `code` is everything after a generated preamble that declares, at
 * `@group(0)`: binding 0 the metadata uniform (read it with `metaU(i)` → u32, `metaI(i)` → i32,
 * `metaF(i)` → f32), then one `var<storage, read>` per input and one `var<storage, read_write>`
 * per output, named as given and typed `array<f32|i32|u32>` by dtype (`bool` is `u32`), plus the
 * helpers of `WGSL_COMMON` (`isNan`, `isInf`, `nanF32()`, `infF32()`, `flatWorkgroup`). The source must
 * depend only on what the program's cache key names: sizes and strides go in the metadata.
 */
export interface ProgramSource {
  /** Read-only storage bindings in binding order: `[name, dtype]`. */
  readonly inputs: readonly (readonly [string, DType])[];
  /**
   * Read-write storage bindings after the inputs: `[name, dtype]`, or `[name, dtype, 'atomic']`
   * for an `array<atomic<i32>>` (int32) / `array<atomic<u32>>` (float32 bits, bool) that threads
   * update concurrently (`atomicAdd`, or a compare-exchange loop on float bits).
   */
  readonly outputs: readonly (readonly [string, DType] | readonly [string, DType, 'atomic'])[];
  /** How many u32 metadata words the program reads (the length of every `meta` passed to `run`). */
  readonly metaWords: number;
  /** The WGSL after the preamble, with an `@compute @workgroup_size(...) fn main(...)` entry point. */
  readonly code: string;
}

/** What {@link WebGPUBackend.run} dispatches: a cache key and a builder called once per key. */
export interface Program {
  /** Names the WGSL source exactly (op, dtypes, rank class, variant, workgroup size, ...). */
  readonly key: string;
  /** Builds the source (called only when `key` has no compiled pipeline yet). */
  build(): ProgramSource;
}

/** Workgroup counts: a linear count (laid out as a 2-D grid past the per-dimension limit; use `flatWorkgroup`) or an explicit `[x, y, z]`. */
export type Workgroups = number | readonly [number, number?, number?];

/** Counters of a {@link WebGPUBackend} (for tests and tuning). */
export interface WebGPUStats {
  /** `queue.submit` calls so far. */
  submits: number;
  /** Compute dispatches recorded so far. */
  dispatches: number;
  /** Pipelines compiled so far (one per program key). */
  pipelines: number;
  /** The buffer pool's counters (tensor and staging buffers). */
  pool: PoolStats;
}

/** Options of {@link WebGPUBackend.create}. */
export interface WebGPUBackendOptions extends WebGPUOptions {
  /** The backend's name (default `'webgpu'`). */
  name?: string;
  /** Dispatches recorded before they are submitted (default 64); reads always submit what is pending. */
  batchSize?: number;
  /** Bytes of free buffers the pool keeps (default 512 MiB). */
  poolLimitBytes?: number;
}

interface CompiledProgram {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  metaBytes: number;
  inputs: number;
  outputs: number;
}

const ARENA_BYTES = 256 * 1024;

/**
 * The WebGPU backend: tensors live in GPU buffers from a pool, kernels are WGSL compute programs
 * compiled once per shape class, and dispatches are recorded into one command encoder and
 * submitted in batches (every `batchSize` dispatches, and whenever data is read back). Reads are
 * asynchronous only (`await t.data()`); there is no `readSync`. Dtypes: float32, int32, bool
 * (no float64: WGSL has no 64-bit floats).
 *
 * Importing `@tensorgrad/backend-webgpu` registers it as `'webgpu'`; `await setBackend('webgpu')`
 * creates it (finding the GPU is asynchronous).
 *
 * @example
 * ```ts
 * import { registerBackend } from '@tensorgrad/tensor';
 * import { WebGPUBackend } from '@tensorgrad/backend-webgpu';
 * // a second instance under another name, e.g. with a smaller batch:
 * registerBackend('webgpu-small-batches', () => WebGPUBackend.create({ name: 'webgpu-small-batches', batchSize: 8 }));
 * // await setBackend('webgpu-small-batches') would now request a device
 * ```
 */
export class WebGPUBackend implements Backend {
  readonly dtypes: readonly DType[] = ['float32', 'int32', 'bool'];
  /**
   * GPU buffers are invisible to the garbage collector (it feels no GPU memory pressure and would
   * collect too late), so a tensor collected without `dispose()` keeps its buffer and stays counted
   * in `memory()`; `setDebugMode(true)` reports where it was created.
   */
  readonly reclaimable = false;
  /** Every kernel of the contract; each reaches this instance (device, pool, `run`) through `ctx.backend`. */
  readonly kernels: KernelMap<WebGPUBackend> = { ...kernels };
  /** Dispatches recorded before a submit. */
  batchSize: number;
  /**
   * Whether the adapter is a software rasterizer running on the CPU (lavapipe/llvmpipe,
   * SwiftShader, or a fallback adapter). Kernels pick variants without workgroup-memory staging
   * there, which is slower on GPUs but several times faster on CPUs. Settable (tests run both).
   */
  softwareAdapter: boolean;
  /**
   * The largest workgroup count per grid dimension used for linear dispatches (the device limit,
   * 65535 by default). Lowering it exercises the 2-D grid path on small tensors (tests).
   */
  maxWorkgroupsPerDimension: number;

  // the GPU object must stay referenced while the device lives (Dawn crashes when it is GC'd)
  private readonly gpu: GPU;
  private readonly pool: BufferPool;
  private readonly pipelines = new Map<string, CompiledProgram>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly live = new Set<GpuStorage>();
  private liveBytes = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batch = 1;
  private pendingDispatches = 0;
  private deferred: GpuStorage[] = [];
  private readonly arena: GPUBuffer;
  private readonly arenaData = new Uint32Array(ARENA_BYTES / 4);
  private arenaUsed = 0;
  private readonly uniformAlign: number;
  private readonly counters = { submits: 0, dispatches: 0, pipelines: 0 };
  private failure: Error | null = null;
  // compile checks still running: a read waits for them before reporting a failure
  private scopes: Promise<void>[] = [];
  private disposed = false;
  // every GPUBuffer created and not yet destroyed: live storage, pooled free buffers, staging buffers, the arena
  private gpuBuffers = 0;

  private constructor(
    readonly name: string,
    /** The device (for kernels that need more than {@link WebGPUBackend.run}). */
    readonly device: GPUDevice,
    /** The adapter the device came from. */
    readonly adapter: GPUAdapter,
    gpu: GPU,
    /** Where the GPU came from: `'browser'`, `'node (webgpu/Dawn)'` or `'custom'`. */
    readonly environment: string,
    options: WebGPUBackendOptions,
  ) {
    this.gpu = gpu;
    this.batchSize = options.batchSize ?? 64;
    this.softwareAdapter = isSoftwareAdapter(adapter);
    this.maxWorkgroupsPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
    this.uniformAlign = Math.max(16, device.limits.minUniformBufferOffsetAlignment);
    this.pool = new BufferPool(
      (size, usage) => this.createBuffer(size, usage),
      options.poolLimitBytes,
      (buffer) => this.destroyBuffer(buffer),
    );
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    this.gpuBuffers++;
    device.lost.then(
      (info) => {
        if (!this.disposed) {
          this.failure ??= new Error(
            `webgpu: the GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}); every tensor on '${this.name}' is gone. ` +
              `Recreate it: registerBackend('${this.name}', () => WebGPUBackend.create({ name: '${this.name}' })) replaces the lost instance; then await setBackend('${this.name}') and recompute`,
          );
        }
      },
      () => {},
    );
    const onError = (ev: GPUUncapturedErrorEvent): void => {
      const kind = ev.error.constructor?.name ?? 'GPUError';
      this.failure ??= new Error(
        kind === 'GPUOutOfMemoryError'
          ? `webgpu: out of GPU memory (${ev.error.message}); free tensors (dispose(), tidy()) or use smaller batches`
          : `webgpu: ${kind} from the device: ${ev.error.message}`,
      );
    };
    if (typeof device.addEventListener === 'function') device.addEventListener('uncapturederror', onError as EventListener);
    else (device as { onuncapturederror: unknown }).onuncapturederror = onError;
  }

  /**
   * Requests a GPU device (see `requestWebGPU`) and creates the backend on it.
   *
   * @example
   * ```ts
   * import { WebGPUBackend } from '@tensorgrad/backend-webgpu';
   * // const backend = await WebGPUBackend.create({ batchSize: 32 });
   * typeof WebGPUBackend.create; // 'function'
   * ```
   */
  static async create(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
    const { gpu, adapter, device, environment } = await requestWebGPU(options);
    return new WebGPUBackend(options.name ?? 'webgpu', device, adapter, gpu, environment, options);
  }

  // ---- storage -----------------------------------------------------------------------------------

  private createBuffer(size: number, usage: number): GPUBuffer {
    const max = this.device.limits.maxBufferSize;
    if (size > max) {
      throw new RangeError(
        `webgpu: cannot allocate ${size} bytes: the device's maxBufferSize is ${max}; split the tensor or use the 'cpu' backend`,
      );
    }
    this.device.pushErrorScope('out-of-memory');
    const buffer = this.device.createBuffer({ size, usage });
    this.gpuBuffers++;
    this.device.popErrorScope().then(
      (err) => {
        if (err && !this.disposed) {
          this.failure ??= new Error(
            `webgpu: out of GPU memory allocating ${size} bytes (${this.liveBytes} bytes in ${this.live.size} live buffers, ` +
              `${this.pool.stats().freeBytes} bytes pooled): ${err.message}. Free tensors (dispose(), tidy()), call emptyCache(), or use smaller batches`,
          );
        }
      },
      () => {},
    );
    return buffer;
  }

  private destroyBuffer(buffer: GPUBuffer): void {
    buffer.destroy();
    this.gpuBuffers--;
  }

  private newStorage(dtype: DType, size: number, zero: boolean): GpuStorage {
    this.check();
    wgslType(dtype);
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`webgpu.alloc: expected a non-negative integer size, got ${size}`);
    const bytes = Math.max(4, size * 4);
    const maxBinding = this.device.limits.maxStorageBufferBindingSize;
    if (bytes > maxBinding) {
      throw new RangeError(
        `webgpu: a tensor of ${size} elements (${bytes} bytes) exceeds the device's maxStorageBufferBindingSize (${maxBinding} bytes); ` +
          'split it into smaller tensors or use the cpu backend',
      );
    }
    const { buffer, fresh } = this.pool.acquire(bytes, TENSOR_USAGE);
    const s: GpuStorage = { buffer, dtype, size, backend: this, needsZero: zero && !fresh, lastBatch: 0, freed: false };
    this.live.add(s);
    this.liveBytes += size * 4;
    return s;
  }

  /** Allocates zero-filled storage for `size` elements. */
  alloc(dtype: DType, size: number): StorageHandle {
    return this.newStorage(dtype, size, true);
  }

  /**
   * Storage for a kernel's output: not cleared (the kernel writes every element) unless `zero`.
   *
   * @example
   * ```ts
   * import type { WebGPUBackend } from '@tensorgrad/backend-webgpu';
   * // inside a kernel: const out = ctx.backend.allocOutput(ctx.dtype, shapeSize(ctx.shape));
   * const call = (b: WebGPUBackend) => b.allocOutput('float32', 4, { zero: true });
   * ```
   */
  allocOutput(dtype: DType, size: number, options: { zero?: boolean } = {}): GpuStorage {
    return this.newStorage(dtype, size, options.zero ?? false);
  }

  /** Overwrites storage with `data` (same length; bool as 0/1). */
  write(handle: StorageHandle, data: TypedArray): void {
    const s = this.own(handle, 'write');
    if (data.length !== s.size) throw new RangeError(`webgpu.write: expected ${s.size} elements, got ${data.length}`);
    if (s.size === 0) return;
    // queue writes run before the commands still being recorded: make sure none of them uses it
    if (s.lastBatch === this.batch && this.encoder) this.flush();
    const src =
      s.dtype === 'float32'
        ? data instanceof Float32Array ? data : Float32Array.from(data)
        : s.dtype === 'int32'
          ? data instanceof Int32Array ? data : Int32Array.from(data)
          : Uint32Array.from(data, (v) => (v ? 1 : 0));
    this.device.queue.writeBuffer(s.buffer, 0, src.buffer, src.byteOffset, s.size * 4);
    s.needsZero = false;
  }

  /** Reads the whole storage: submits pending work, copies into a mappable staging buffer and maps it. */
  async read(handle: StorageHandle): Promise<TypedArray> {
    if (this.failure) await this.settle();
    const s = this.own(handle, 'read');
    const out = s.dtype === 'float32' ? new Float32Array(s.size) : s.dtype === 'int32' ? new Int32Array(s.size) : new Uint8Array(s.size);
    if (s.size === 0 || s.needsZero) {
      this.check();
      return out;
    }
    const bytes = s.size * 4;
    const { buffer: staging } = this.pool.acquire(bytes, STAGING_USAGE);
    this.endPass();
    this.commandEncoder().copyBufferToBuffer(s.buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(MAP_READ_MODE, 0, bytes);
    } catch (err) {
      await this.settle();
      throw new Error(`webgpu.read: mapping the staging buffer failed: ${(err as Error).message}`);
    }
    const mapped = staging.getMappedRange(0, bytes);
    if (s.dtype === 'bool') out.set(new Uint32Array(mapped));
    else out.set(new (s.dtype === 'float32' ? Float32Array : Int32Array)(mapped));
    staging.unmap();
    if (this.disposed) this.destroyBuffer(staging);
    else this.pool.release(staging, STAGING_USAGE);
    await this.settle();
    return out;
  }

  /** Frees storage: its buffer goes back to the pool (after the batch that still uses it is submitted). */
  free(handle: StorageHandle): void {
    const s = handle as GpuStorage;
    if (s.freed) return;
    s.freed = true;
    this.live.delete(s);
    this.liveBytes -= s.size * 4;
    if (this.disposed) return;
    if (s.lastBatch === this.batch && this.encoder) this.deferred.push(s);
    else this.pool.release(s.buffer, TENSOR_USAGE);
  }

  /**
   * Live storage buffers and their bytes (`numTensors`, `numBytes`: pooled free buffers are not
   * counted there), and every GPU buffer this backend holds on its device (`numGpuBuffers`: live
   * storage, the pool's free buffers, staging buffers and the uniform arena), which is what a
   * leak test watches for buffers lost outside the tensors' accounting.
   *
   * @example
   * ```ts
   * import type { WebGPUBackend } from '@tensorgrad/backend-webgpu';
   * const buffers = (b: WebGPUBackend) => b.memory().numGpuBuffers;
   * ```
   */
  memory(): MemoryInfo & { numGpuBuffers: number } {
    return { numTensors: this.live.size, numBytes: this.liveBytes, numGpuBuffers: this.gpuBuffers };
  }

  /**
   * Destroys the pooled free buffers (PyTorch's `torch.cuda.empty_cache()`); live tensors stay.
   *
   * @example
   * ```ts
   * import type { WebGPUBackend } from '@tensorgrad/backend-webgpu';
   * const release = (b: WebGPUBackend) => b.emptyCache();
   * ```
   */
  emptyCache(): void {
    this.flush();
    this.pool.clear();
  }

  /** Destroys every buffer and the device; the backend cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pass = null;
    this.encoder = null;
    for (const s of this.live) this.destroyBuffer(s.buffer);
    for (const s of this.deferred) this.destroyBuffer(s.buffer);
    this.live.clear();
    this.deferred = [];
    this.liveBytes = 0;
    this.pool.clear();
    this.destroyBuffer(this.arena);
    this.pipelines.clear();
    this.device.destroy();
  }

  /**
   * Counters: submits, dispatches, compiled pipelines, and the pool's.
   *
   * @example
   * ```ts
   * import type { WebGPUBackend } from '@tensorgrad/backend-webgpu';
   * const submits = (b: WebGPUBackend) => b.stats().submits;
   * ```
   */
  stats(): WebGPUStats {
    return { ...this.counters, pool: this.pool.stats() };
  }

  // ---- dispatch ----------------------------------------------------------------------------------

  /**
   * Records one dispatch of `program` (compiled on first use of its key) with `inputs` bound
   * read-only and `outputs` read-write, `meta` as its metadata words, and `workgroups`
   * workgroups. Submits when `batchSize` dispatches are pending. An empty dispatch (0
   * workgroups) records nothing.
   *
   * @example
   * ```ts
   * import type { GpuStorage, Program, WebGPUBackend } from '@tensorgrad/backend-webgpu';
   * // y = 2 * x for n elements (the package README's "Writing kernels" has the layout and the contract)
   * const double: Program = {
   *   key: 'example-double',
   *   build: () => ({
   *     inputs: [['x', 'float32']],
   *     outputs: [['y', 'float32']],
   *     metaWords: 1,
   *     code: `@compute @workgroup_size(64) fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
   *   let i = flatWorkgroup(wid, nwg) * 64u + lid;
   *   if (i < metaU(0u)) { y[i] = 2.0 * x[i]; }
   * }`,
   *   }),
   * };
   * const run = (b: WebGPUBackend, x: GpuStorage, y: GpuStorage, n: number) => b.run(double, [x], [y], [n], Math.ceil(n / 64));
   * ```
   */
  run(program: Program, inputs: readonly StorageHandle[], outputs: readonly GpuStorage[], meta: ArrayLike<number>, workgroups: Workgroups): void {
    this.check();
    const grid = this.grid(workgroups);
    if (grid[0] === 0 || grid[1] === 0 || grid[2] === 0) return;
    const compiled = this.compile(program);
    if (inputs.length !== compiled.inputs || outputs.length !== compiled.outputs) {
      throw new Error(
        `webgpu: program '${program.key}' expects ${compiled.inputs} inputs and ${compiled.outputs} outputs, got ${inputs.length} and ${outputs.length}`,
      );
    }
    const slot = this.uniformSlot(compiled.metaBytes, meta, program.key);
    const storages = [...inputs, ...outputs] as GpuStorage[];
    for (const s of storages) {
      if (s.backend !== this) throw new Error(`webgpu: program '${program.key}' got a buffer of backend '${s.backend?.name ?? '?'}' on '${this.name}'`);
      if (s.freed) throw new Error(`webgpu: program '${program.key}' got a freed buffer (a tensor used after dispose())`);
      if (s.needsZero) {
        this.endPass();
        this.commandEncoder().clearBuffer(s.buffer);
        s.needsZero = false;
      }
      s.lastBatch = this.batch;
    }
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.arena, offset: slot, size: compiled.metaBytes } }];
    storages.forEach((s, i) => entries.push({ binding: i + 1, resource: { buffer: s.buffer } }));
    const bindGroup = this.device.createBindGroup({ layout: compiled.layout, entries });
    const pass = this.computePass();
    pass.setPipeline(compiled.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.counters.dispatches++;
    if (++this.pendingDispatches >= this.batchSize) this.flush();
  }

  /** Submits everything recorded so far (reads do this themselves). */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaData.buffer, 0, this.arenaUsed);
    this.device.queue.submit([this.encoder.finish()]);
    this.counters.submits++;
    this.encoder = null;
    this.arenaUsed = 0;
    this.pendingDispatches = 0;
    this.batch++;
    // buffers freed while the batch still used them can be reused now: later queue writes and
    // commands are ordered after the submitted batch
    for (const s of this.deferred) this.pool.release(s.buffer, TENSOR_USAGE);
    this.deferred = [];
  }

  private grid(workgroups: Workgroups): [number, number, number] {
    if (typeof workgroups !== 'number') return [workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1];
    const max = this.maxWorkgroupsPerDimension;
    if (workgroups <= max) return [workgroups, 1, 1];
    const y = Math.ceil(workgroups / max);
    if (y <= max) return [max, y, 1];
    const z = Math.ceil(y / max);
    if (z > max) throw new RangeError(`webgpu: ${workgroups} workgroups exceed the device's dispatch grid`);
    return [max, max, z];
  }

  private uniformSlot(bytes: number, meta: ArrayLike<number>, key: string): number {
    if (meta.length * 4 > bytes) throw new RangeError(`webgpu: program '${key}' declares ${bytes / 4} metadata words, got ${meta.length}`);
    const size = Math.ceil(bytes / this.uniformAlign) * this.uniformAlign;
    if (this.arenaUsed + size > ARENA_BYTES) this.flush();
    const at = this.arenaUsed;
    const words = this.arenaData;
    const base = at / 4;
    // a Uint32Array store wraps negative integers to their two's-complement bits (metaI reads them back)
    for (let i = 0; i < meta.length; i++) words[base + i] = meta[i]!;
    this.arenaUsed += size;
    return at;
  }

  private commandEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  private computePass(): GPUComputePassEncoder {
    return (this.pass ??= this.commandEncoder().beginComputePass());
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  private compile(program: Program): CompiledProgram {
    const cached = this.pipelines.get(program.key);
    if (cached) return cached;
    const src = program.build();
    const metaVec4 = Math.max(1, Math.ceil(src.metaWords / 4));
    const decls = [
      `struct Meta { v: array<vec4<u32>, ${metaVec4}> }`,
      '@group(0) @binding(0) var<uniform> M: Meta;',
      ...src.inputs.map(([n, d], i) => `@group(0) @binding(${i + 1}) var<storage, read> ${n}: array<${wgslType(d)}>;`),
      ...src.outputs.map(([n, d, atomic], i) => {
        const t = atomic ? `atomic<${d === 'int32' ? 'i32' : (wgslType(d), 'u32')}>` : wgslType(d);
        return `@group(0) @binding(${src.inputs.length + i + 1}) var<storage, read_write> ${n}: array<${t}>;`;
      }),
      'fn metaU(i: u32) -> u32 { return M.v[i / 4u][i % 4u]; }',
      'fn metaI(i: u32) -> i32 { return bitcast<i32>(metaU(i)); }',
      'fn metaF(i: u32) -> f32 { return bitcast<f32>(metaU(i)); }',
    ];
    const code = `${decls.join('\n')}\n${WGSL_COMMON}\n${src.code}`;
    const layout = this.bindGroupLayout(src.inputs.length, src.outputs.length);
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code, label: program.key });
    const pipeline = this.device.createComputePipeline({
      label: program.key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const key = program.key;
    this.scopes.push(
      Promise.all([this.device.popErrorScope(), module.getCompilationInfo().catch(() => null)]).then(
        ([err, info]) => {
          const messages = (info?.messages ?? []).filter((m) => m.type === 'error').map((m) => `  line ${m.lineNum}:${m.linePos}: ${m.message}`);
          if ((err || messages.length) && !this.disposed) {
            // the cause, not the "invalid due to a previous error" that using the pipeline reported first
            this.failure = new Error(
              `webgpu: program '${key}' does not compile: ${err?.message ?? ''}\n${messages.join('\n')}\n--- WGSL ---\n${numbered(code)}`,
            );
          }
        },
        () => {},
      ),
    );
    const compiled: CompiledProgram = { pipeline, layout, metaBytes: metaVec4 * 16, inputs: src.inputs.length, outputs: src.outputs.length };
    this.pipelines.set(program.key, compiled);
    this.counters.pipelines++;
    return compiled;
  }

  private bindGroupLayout(inputs: number, outputs: number): GPUBindGroupLayout {
    const key = `${inputs}:${outputs}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const COMPUTE = 0x4; // GPUShaderStage.COMPUTE
      const entries: GPUBindGroupLayoutEntry[] = [{ binding: 0, visibility: COMPUTE, buffer: { type: 'uniform' } }];
      for (let i = 0; i < inputs + outputs; i++) {
        entries.push({ binding: i + 1, visibility: COMPUTE, buffer: { type: i < inputs ? 'read-only-storage' : 'storage' } });
      }
      layout = this.device.createBindGroupLayout({ entries });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  // ---- errors ------------------------------------------------------------------------------------

  private own(handle: StorageHandle, op: string): GpuStorage {
    const s = handle as GpuStorage;
    if (s.backend !== this) throw new Error(`webgpu.${op}: the storage does not belong to backend '${this.name}'`);
    if (s.freed) throw new Error(`webgpu.${op}: the storage was already freed (a tensor used after dispose())`);
    this.check();
    return s;
  }

  // waits for pending compile checks (so a failure names its cause), then throws any failure
  private async settle(): Promise<void> {
    if (this.scopes.length) {
      const pending = this.scopes;
      this.scopes = [];
      await Promise.all(pending);
    }
    this.check();
  }

  /** Throws the first asynchronous failure seen (device loss, out of memory, a program that did not compile). */
  private check(): void {
    if (this.disposed) {
      throw new Error(
        `webgpu: backend '${this.name}' was disposed; create a new one: registerBackend('${this.name}', () => WebGPUBackend.create({ name: '${this.name}' })), then await setBackend('${this.name}')`,
      );
    }
    if (this.failure) throw this.failure;
  }
}

function numbered(code: string): string {
  return code
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)}  ${l}`)
    .join('\n');
}

function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = (adapter as { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  if ((adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter || info?.isFallbackAdapter) return true;
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].join(' ');
  return /llvmpipe|lavapipe|swiftshader|software/i.test(text);
}
