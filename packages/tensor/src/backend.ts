import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** An opaque handle to a backend's storage (a typed array on `cpu`, a GPU buffer on `webgpu`, …). */
export type StorageHandle = object;

/**
 * A tensor as a kernel sees it: storage, logical shape, element strides and offset. Kernels must
 * honour `strides`/`offset` (views are never copied before dispatch); a stride of 0 means the
 * dimension is broadcast.
 */
export interface KernelTensor {
  readonly handle: StorageHandle;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
}

/** A kernel's output: freshly allocated, contiguous storage on the same backend. */
export interface KernelResult {
  readonly handle: StorageHandle;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A kernel of one tensor and attributes `A`. */
export type Unary<A = Record<string, never>> = (x: KernelTensor, attrs: A) => KernelResult;
/** A kernel of two operands that already have the output shape (broadcast through strides) and the same dtype. */
export type Binary = (a: KernelTensor, b: KernelTensor) => KernelResult;

/**
 * The kernel signatures, keyed by op name (the same name as the front-end and the gradient rule).
 * Front-ends validate arguments, promote dtypes and broadcast before calling a kernel, so kernels
 * only compute.
 */
export interface KernelMap {
  add: Binary;
  sub: Binary;
  mul: Binary;
  /** Floating-point operands only (the front-end casts integers for true division). */
  div: Binary;
  pow: Binary;
  /** Comparisons return `bool` tensors. */
  eq: Binary;
  ne: Binary;
  lt: Binary;
  le: Binary;
  gt: Binary;
  ge: Binary;
  neg: Unary;
  abs: Unary;
  exp: Unary;
  log: Unary;
  sqrt: Unary;
  square: Unary;
  sin: Unary;
  cos: Unary;
  tanh: Unary;
  sigmoid: Unary;
  relu: Unary;
  sign: Unary;
  leakyRelu: Unary<{ negativeSlope: number }>;
  gelu: Unary<{ approximate: 'none' | 'tanh' }>;
  clamp: Unary<{ min: number | null; max: number | null }>;
  /** `dim`: normalised, sorted, non-empty list of reduced dims. int32/bool sum to int32. */
  sum: Unary<{ dim: readonly number[]; keepdim: boolean }>;
  /** `dim: null` reduces all elements (indices into the flattened tensor); first occurrence wins ties. NaN propagates. */
  max: (x: KernelTensor, attrs: { dim: number | null; keepdim: boolean }) => [KernelResult, KernelResult];
  min: (x: KernelTensor, attrs: { dim: number | null; keepdim: boolean }) => [KernelResult, KernelResult];
  argmax: Unary<{ dim: number | null; keepdim: boolean }>;
  argmin: Unary<{ dim: number | null; keepdim: boolean }>;
  /** Batched product: `a` is `[B, M, K]`, `b` is `[B, K, N]` (any strides, batch stride may be 0). */
  matmul: Binary;
  softmax: Unary<{ dim: number }>;
  logSoftmax: Unary<{ dim: number }>;
  /** A contiguous copy of a (possibly strided) view. */
  contiguous: Unary;
  /** Conversion to another dtype (float → int truncates toward zero; → bool is `!= 0`). */
  to: Unary<{ dtype: DType }>;
  /** All inputs have the same dtype and rank, equal sizes except along `dim`. */
  cat: (xs: readonly KernelTensor[], attrs: { dim: number }) => KernelResult;
  /** `cond` is bool; all three already have the output shape; `x`, `y` share a dtype. */
  where: (cond: KernelTensor, x: KernelTensor, y: KernelTensor) => KernelResult;
  /** `mask` is bool, already broadcast to `x`'s shape. */
  maskedFill: (x: KernelTensor, mask: KernelTensor, attrs: { value: number }) => KernelResult;
  /** `index` is int32 with in-range values (checked by the front-end). */
  gather: (x: KernelTensor, index: KernelTensor, attrs: { dim: number }) => KernelResult;
  /** Out-of-place `x.scatter_add(dim, index, src)`. */
  scatterAdd: (x: KernelTensor, index: KernelTensor, src: KernelTensor, attrs: { dim: number }) => KernelResult;
  indexSelect: (x: KernelTensor, index: KernelTensor, attrs: { dim: number }) => KernelResult;
  /** int32 input with values in `[0, numClasses)`; int32 output `[..., numClasses]`. */
  oneHot: Unary<{ numClasses: number }>;
  /** Constant padding; `pad` in PyTorch order (last dim first), negative values crop. */
  pad: Unary<{ pad: readonly number[]; value: number }>;
  /** Writes `src` (already broadcast to `dst`'s shape, same dtype) into the strided view `dst`. */
  copy_: (dst: KernelTensor, src: KernelTensor) => void;
  /**
   * One fused Adam/AdamW step, in place (see `adamUpdate_`): all tensors contiguous, of the
   * parameter's shape and floating dtype; `maxExpAvgSq` is given for AMSGrad. Optional: without
   * it the front-end runs the update as separate ops.
   */
  adamUpdate_: (
    param: KernelTensor,
    grad: KernelTensor,
    expAvg: KernelTensor,
    expAvgSq: KernelTensor,
    maxExpAvgSq: KernelTensor | null,
    attrs: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean; step: number; maximize: boolean },
  ) => void;
  // neural-network ops: convolution and pooling
  /**
   * 2-D convolution of `x` `[N, C, H, W]` with `w` `[O, C/groups, kH, kW]` plus an optional `bias`
   * `[O]`; `padding` is `[top, bottom, left, right]`. Float dtypes only.
   */
  conv2d: (x: KernelTensor, w: KernelTensor, bias: KernelTensor | null, attrs: { stride: readonly [number, number]; padding: readonly [number, number, number, number]; dilation: readonly [number, number]; groups: number }) => KernelResult;
  /**
   * The adjoint of `conv2d` with respect to its input (col2im of `wᵀ·g`): `g` `[N, O, Ho, Wo]`,
   * `w` `[O, C/groups, kH, kW]` → `[N, C, ...inputSize]`, plus an optional per-channel `bias` `[C]`
   * (this is also `convTranspose2d`).
   */
  conv2dInputGrad: (g: KernelTensor, w: KernelTensor, bias: KernelTensor | null, attrs: { stride: readonly [number, number]; padding: readonly [number, number, number, number]; dilation: readonly [number, number]; groups: number } & { inputSize: readonly [number, number] }) => KernelResult;
  /** The gradient of `conv2d` with respect to its weight: `x` `[N, C, H, W]`, `g` `[N, O, Ho, Wo]` → `[O, C/groups, ...kernelSize]`. */
  conv2dWeightGrad: (x: KernelTensor, g: KernelTensor, attrs: { stride: readonly [number, number]; padding: readonly [number, number, number, number]; dilation: readonly [number, number]; groups: number } & { kernelSize: readonly [number, number] }) => KernelResult;
  /** Max pooling of `[N, C, H, W]`: `[values, indices]`, indices int32 into each `H·W` plane (PyTorch's `return_indices`). */
  maxPool2d: (x: KernelTensor, attrs: { kernelSize: readonly [number, number]; stride: readonly [number, number]; padding: readonly [number, number]; ceilMode: boolean } & { dilation: readonly [number, number] }) => [KernelResult, KernelResult];
  /** Average pooling of `[N, C, H, W]` (PyTorch's window clipping and divisor rules). */
  avgPool2d: Unary<{ kernelSize: readonly [number, number]; stride: readonly [number, number]; padding: readonly [number, number]; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null }>;
  /** The adjoint of `avgPool2d`: `g` `[N, C, Ho, Wo]` → `[N, C, ...inputSize]`. */
  avgPool2dBackward: Unary<{ kernelSize: readonly [number, number]; stride: readonly [number, number]; padding: readonly [number, number]; ceilMode: boolean; countIncludePad: boolean; divisorOverride: number | null } & { inputSize: readonly [number, number] }>;
  /** Adaptive average pooling of `[N, C, H, W]` to `[N, C, ...outputSize]`. */
  adaptiveAvgPool2d: Unary<{ outputSize: readonly [number, number] }>;
  /** The adjoint of `adaptiveAvgPool2d`: `g` `[N, C, Ho, Wo]` → `[N, C, ...inputSize]`. */
  adaptiveAvgPool2dBackward: Unary<{ inputSize: readonly [number, number] }>;
  // neural-network ops: normalisation, dropout, interpolation
}

/** Kernel names (a subset of op names plus the in-place kernels `copy_` and `adamUpdate_`). */
export type KernelName = keyof KernelMap;

/** Live tensors and bytes held by a backend. */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
}

/** The backend plugin contract (DESIGN.md §3). */
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
  /** Frees storage. */
  free(handle: StorageHandle): void;
  /** Kernels this backend implements. */
  readonly kernels: Partial<KernelMap>;
  /** Storage buffers and bytes currently allocated. */
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

function unknownBackend(name: string): Error {
  const known = listBackends();
  return new Error(
    `backend '${name}' is not registered; registered backends: ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'none'}. ` +
      `Import its package first, e.g. import '@tensorgrad/backend-${name}'`,
  );
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
