import type { DType, TypedArray } from './dtype.js';
import type { KernelMap, StorageHandle } from './kernel.js';

/** Live tensors and bytes held by a backend. */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
  /**
   * Every device buffer the backend holds now, where it has them (`webgpu`): its tensors' storage
   * as well as the free buffers its pool keeps, staging buffers being read and its own uniform
   * buffers. Flat across repeated training steps once the pool has warmed up; growing, a leak.
   */
  numGpuBuffers?: number;
}

/** The backend plugin contract (ARCHITECTURE.md, The backend contract). */
export interface Backend {
  /** `'cpu'`, `'webgpu'`, `'tfjs'`, … */
  readonly name: string;
  /** Dtypes this backend can store. */
  readonly dtypes: readonly DType[];
  /** Allocates zero-filled storage for `size` elements. */
  alloc(dtype: DType, size: number): StorageHandle;
  /** Overwrites storage with `data` (same length and dtype). */
  write(handle: StorageHandle, data: TypedArray): void;
  /** Reads the whole storage into a new typed array. */
  read(handle: StorageHandle): Promise<TypedArray>;
  /** Synchronous read, where the backend can. */
  readSync?(handle: StorageHandle): TypedArray;
  /**
   * Whether the garbage collector can reclaim this backend's memory: `true` when storage is
   * ordinary JavaScript memory (typed arrays, as on `cpu`). A tensor collected without `dispose()`
   * then releases its storage reference and stops counting in `memory()`. Leave it unset (false)
   * when storage lives where the collector does not look (GPU buffers, another library's
   * tensors): the collector does not feel that memory's pressure and would free it too late, so
   * such tensors stay counted and `setDebugMode(true)` reports where they were created.
   */
  readonly reclaimable?: boolean;
  /** Frees storage. */
  free(handle: StorageHandle): void;
  /**
   * Kernels this backend implements, by op name; each is called as `kernel(ctx, ...inputs, attrs)`
   * with `ctx.backend` this instance (see `KernelMap` in `@tensorgrad/tensor/backend`). Ops whose
   * kernel is missing fall back to a decomposition or throw `NotSupportedError`.
   */
  readonly kernels: Partial<KernelMap>;
  /** Storage buffers and bytes currently allocated by this instance. */
  memory(): MemoryInfo;
  /** Releases everything the backend holds. */
  dispose(): void;
}

/** Creates a backend instance (possibly asynchronously, e.g. to request a GPU device). */
export type BackendFactory = () => Backend | Promise<Backend>;

interface Registration {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
  pending?: Promise<Backend>;
}

const registry = new Map<string, Registration>();
let current: Backend | null = null;

/**
 * Registers a backend factory under `name`. The registered backend with the highest `priority`
 * becomes the default when no backend was chosen with {@link setBackend}.
 *
 * @example
 * ```ts
 * import { registerBackend, listBackends } from '@tensorgrad/tensor';
 * import { CpuBackend } from '@tensorgrad/backend-cpu';
 * registerBackend('cpu-copy', () => new CpuBackend('cpu-copy'), { priority: -1 });
 * listBackends().includes('cpu-copy'); // true
 * ```
 */
export function registerBackend(name: string, factory: BackendFactory, options: { priority?: number } = {}): void {
  const old = registry.get(name);
  if (old?.instance && old.instance === current) current = null;
  registry.set(name, { factory, priority: options.priority ?? 0 });
}

/**
 * Names of the registered backends.
 *
 * @example
 * ```ts
 * import { listBackends } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * listBackends(); // ['cpu', …]
 * ```
 */
export function listBackends(): string[] {
  return [...registry.keys()];
}

// The backends this repository publishes, and how to get each.
const INSTALLABLE: readonly (readonly [names: readonly string[], how: string])[] = [
  [['cpu'], "'cpu' (import '@tensorgrad/backend-cpu', or the 'tensorgrad' package, which makes it the default)"],
  [['webgpu'], "'webgpu' (the GPU: import '@tensorgrad/backend-webgpu', then await setBackend('webgpu') or await t.toAsync('webgpu'))"],
  [['tfjs', 'tfjs-wasm'], "'tfjs' and 'tfjs-wasm' (TensorFlow.js engines: import '@tensorgrad/backend-tfjs', then await setBackend('tfjs'))"],
];

// PyTorch device names with no backend of that name here
const GPU_DEVICES = new Set(['cuda', 'gpu', 'mps', 'xpu', 'rocm', 'hip', 'xla', 'vulkan', 'opencl']);

function unknownBackend(name: string): Error {
  const known = listBackends();
  const registered = `registered backends: ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'none'}`;
  const installable = INSTALLABLE.map(([, how]) => how).join('; ');
  const device = name.toLowerCase().replace(/:\d+$/, '');
  if (known.includes(device)) {
    return new Error(`backend '${name}' is not registered: backends have no device index; write '${device}' (${registered})`);
  }
  const published = INSTALLABLE.find(([names]) => names.includes(name));
  if (published) {
    return new Error(`backend '${name}' is not registered (${registered}); it is ${published[1]}`);
  }
  if (GPU_DEVICES.has(device)) {
    return new Error(
      `backend '${name}' does not exist: tensorgrad has no ${device === 'gpu' ? 'GPU backend by that name' : `${device.toUpperCase()} backend`}; ` +
        `it reaches the GPU through WebGPU. ${registered[0]!.toUpperCase()}${registered.slice(1)}. Available backends: ${installable}`,
    );
  }
  return new Error(`backend '${name}' is not registered; ${registered}. Available backends: ${installable}; a third-party backend must be imported (registered) before use`);
}

/**
 * Returns the instance of the backend named `name`, creating it if needed.
 *
 * @example
 * ```ts
 * import { findBackend } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const cpu = await findBackend('cpu');
 * cpu.name; // 'cpu'
 * ```
 */
export async function findBackend(name: string): Promise<Backend> {
  const reg = registry.get(name);
  if (!reg) throw unknownBackend(name);
  if (reg.instance) return reg.instance;
  if (!reg.pending) {
    reg.pending = Promise.resolve(reg.factory()).then(
      (b) => {
        reg.instance = b;
        return b;
      },
      (err: unknown) => {
        reg.pending = undefined;
        throw err;
      },
    );
  }
  return reg.pending;
}

/**
 * Returns the backend named `name` if it is already initialised (or can be created
 * synchronously), otherwise throws an error that says to `await setBackend(name)` first.
 *
 * @example
 * ```ts
 * import { findBackendSync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * findBackendSync('cpu').name; // 'cpu'
 * ```
 */
export function findBackendSync(name: string): Backend {
  const reg = registry.get(name);
  if (!reg) throw unknownBackend(name);
  if (reg.instance) return reg.instance;
  const made = reg.factory();
  if (made instanceof Promise) {
    reg.pending = made.then((b) => (reg.instance = b));
    throw new Error(`backend '${name}' initialises asynchronously: call \`await setBackend('${name}')\` before using it`);
  }
  reg.instance = made;
  return made;
}

/**
 * Makes `name` the current backend (where new tensors are created), initialising it if needed.
 *
 * @example
 * ```ts
 * import { setBackend, getBackend } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await setBackend('cpu');
 * getBackend().name; // 'cpu'
 * ```
 */
export async function setBackend(name: string): Promise<Backend> {
  current = await findBackend(name);
  return current;
}

/**
 * The current backend: the one chosen with {@link setBackend}, else the registered backend with
 * the highest priority that can be created synchronously.
 *
 * @example
 * ```ts
 * import { getBackend } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * getBackend().name; // 'cpu'
 * ```
 */
export function getBackend(): Backend {
  if (current) return current;
  const byPriority = [...registry.entries()].sort((a, b) => b[1].priority - a[1].priority);
  for (const [name, reg] of byPriority) {
    if (reg.instance) return (current = reg.instance);
    try {
      return (current = findBackendSync(name));
    } catch {
      // asynchronous backends cannot be the implicit default
    }
  }
  throw new Error(
    'no backend is available: import a backend package (e.g. `import "@tensorgrad/backend-cpu"`) or the `tensorgrad` umbrella package',
  );
}

/**
 * Removes a backend from the registry, disposing its instance.
 *
 * @example
 * ```ts
 * import { registerBackend, removeBackend, listBackends } from '@tensorgrad/tensor';
 * import { CpuBackend } from '@tensorgrad/backend-cpu';
 * registerBackend('tmp', () => new CpuBackend('tmp'));
 * removeBackend('tmp');
 * listBackends().includes('tmp'); // false
 * ```
 */
export function removeBackend(name: string): void {
  const reg = registry.get(name);
  if (!reg) return;
  if (reg.instance === current) current = null;
  reg.instance?.dispose();
  registry.delete(name);
}
