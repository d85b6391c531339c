/**
 * Shared machinery of the op front-ends: argument checks, dispatch to a backend kernel with a
 * clear error when it is missing, dtype promotion, broadcasting through strides, and recording
 * on the autodiff tape. Op files in `ops/` use these; users normally don't.
 */
import type { Backend } from './backend.js';
import { getBackend } from './backend.js';
import type { BinaryKernelName, Kernel, KernelArgs, KernelContext, KernelName, KernelOutput, KernelResult, KernelTensor, UnaryKernelName } from './kernel.js';
import { GradNode, autogradHooks, isGradEnabled, noGrad, type InputMeta } from './autograd-core.js';
import { isFloating, promoteTypes, promoteWithScalar, allocArray, type DType, type TypedArray } from './dtype.js';
import type { OpAttrs, RecordedOpName } from './op-registry.js';
import { broadcastShapes, broadcastStrides, formatShape, type Shape } from './shape.js';
import { tidy } from './scope.js';
import { NotSupportedError } from './not-supported.js';
import { Storage } from './storage.js';
import { Tensor } from './tensor.js';

/** A tensor, or a JavaScript number where PyTorch accepts a Python scalar. */
export type TensorOrScalar = Tensor | number;

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  // a callable object such as a layers Module is a function whose prototype is its class's
  if (typeof x === 'function') return Object.getPrototypeOf(x) === Function.prototype ? 'a function' : `a ${(x as object).constructor?.name ?? 'function'}`;
  return `${typeof x} ${String(x)}`;
}

/**
 * Throws unless `x` is a live tensor.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { assertTensor } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * assertTensor('myOp', tensor([1]), 'input');
 * ```
 */
export function assertTensor(op: string, x: unknown, name = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected ${name} to be a Tensor, got ${describe(x)}`);
  x._check(op);
}

/**
 * Checks that every given tensor is alive and on one backend, and returns that backend.
 * Mixing backends is an error that says which tensor lives where.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { sameBackend } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * sameBackend('add', [tensor([1]), tensor([2])]).name; // 'cpu'
 * ```
 */
export function sameBackend(op: string, tensors: readonly (Tensor | null | undefined)[], names?: readonly string[]): Backend {
  let backend: Backend | null = null;
  let first = -1;
  tensors.forEach((t, i) => {
    if (!t) return;
    assertTensor(op, t, names?.[i] ?? `argument ${i}`);
    if (backend === null) {
      backend = t.backendInstance;
      first = i;
    } else if (t.backendInstance !== backend) {
      const n = (k: number): string => names?.[k] ?? `argument ${k}`;
      throw new Error(
        `${op}: tensors live on different backends: ${n(first)} is on '${(backend as Backend).name}' and ${n(i)} is on '${t.backend}'; ` +
          `move one with .to('${(backend as Backend).name}')`,
      );
    }
  });
  return backend ?? getBackend();
}

/**
 * The kernel `name` of `backend`, or a {@link NotSupportedError} naming the op, the dtype and the
 * backend when the backend cannot store `dtype` or has no such kernel.
 *
 * @example
 * ```ts
 * import { getBackend } from '@tensorgrad/tensor';
 * import { kernelFor } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * typeof kernelFor('add', getBackend(), 'add', 'float32'); // 'function'
 * ```
 */
export function kernelFor<K extends KernelName>(op: string, backend: Backend, name: K, dtype: DType): Kernel<K> {
  if (!backend.dtypes.includes(dtype)) {
    throw new NotSupportedError(
      op,
      backend.name,
      'dtype',
      `${op}: backend '${backend.name}' does not support dtype ${dtype} (it supports ${backend.dtypes.join(', ')}); ` +
        `convert the tensor with .to(dtype) or use another backend`,
    );
  }
  const k: Kernel<K> | undefined = backend.kernels[name];
  if (!k) {
    throw new NotSupportedError(
      op,
      backend.name,
      'kernel',
      `${op}: not supported yet on backend '${backend.name}' for dtype ${dtype}: the backend has no '${name}' kernel and the op has no decomposition`,
    );
  }
  return k;
}

/**
 * Runs kernel `name` of `ctx.backend` as `kernel(ctx, ...args)`: the one way front-ends call
 * kernels. `ctx` holds what the front-end computed (output shape and dtype, conv/pool geometry);
 * a backend that cannot store `ctx.dtype` or lacks the kernel gives a {@link NotSupportedError}
 * naming `op`.
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { runKernel, kernelTensor, wrapResult } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const backend = getBackend();
 * const x = tensor([1, -2]);
 * const r = runKernel('abs', 'abs', { backend, shape: x.shape, dtype: x.dtype }, kernelTensor(x), {});
 * await wrapResult(backend, r).array(); // [1, 2]
 * ```
 */
export function runKernel<K extends KernelName>(op: string, name: K, ctx: KernelContext<K>, ...args: KernelArgs<K>): KernelOutput<K> {
  return kernelFor(op, ctx.backend, name, ctx.dtype)(ctx, ...args);
}

/**
 * The kernel view of a tensor (optionally broadcast to `shape` through zero strides).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { kernelTensor } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * kernelTensor(tensor([[1], [2]]), [2, 3]).strides; // [1, 0]
 * ```
 */
export function kernelTensor(t: Tensor, shape?: Shape): KernelTensor {
  return {
    handle: t._storage.handle,
    shape: shape ?? t.shape,
    strides: shape ? broadcastStrides(t.shape, t._strides, shape) : t._strides,
    offset: t._offset,
    dtype: t.dtype,
  };
}

/**
 * Wraps a kernel result into a tensor (taking ownership of its storage).
 *
 * @example
 * ```ts
 * import { getBackend, tensor } from '@tensorgrad/tensor';
 * import { wrapResult, kernelTensor } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const b = getBackend();
 * const x = tensor([1, -2]);
 * const y = wrapResult(b, b.kernels.abs!({ backend: b, shape: x.shape, dtype: x.dtype }, kernelTensor(x), {}));
 * ```
 */
export function wrapResult(backend: Backend, r: KernelResult, internal = false): Tensor {
  let n = 1;
  for (const d of r.shape) n *= d;
  return Tensor._fromStorage(new Storage(backend, r.handle, r.dtype, n), r.shape, internal);
}

/**
 * Creates a tensor on `backend` from a typed array of the right dtype (no copy on the CPU backend
 * until written; the array must not be reused by the caller).
 *
 * @example
 * ```ts
 * import { getBackend } from '@tensorgrad/tensor';
 * import { fromArray } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const t = fromArray(getBackend(), new Float32Array([1, 2, 3, 4]), [2, 2], 'float32');
 * ```
 */
export function fromArray(backend: Backend, data: TypedArray, shape: Shape, dtype: DType, internal = false): Tensor {
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(
      `tensor: backend '${backend.name}' does not support dtype ${dtype} (it supports ${backend.dtypes.join(', ')})`,
    );
  }
  const handle = backend.alloc(dtype, data.length);
  if (data.length > 0) backend.write(handle, data);
  return Tensor._fromStorage(new Storage(backend, handle, dtype, data.length), shape, internal);
}

/**
 * A 0-d tensor holding `value` (an internal helper for number operands).
 *
 * @example
 * ```ts
 * import { getBackend } from '@tensorgrad/tensor';
 * import { scalarTensor } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const two = scalarTensor(2, 'float32', getBackend());
 * ```
 */
export function scalarTensor(value: number | boolean, dtype: DType, backend: Backend): Tensor {
  const arr = allocArray(dtype, 1);
  arr[0] = typeof value === 'boolean' ? Number(value) : value;
  return fromArray(backend, arr, [], dtype);
}

/**
 * Converts `t` to `dtype` with the backend's `to` kernel, without recording; returns `t` itself
 * when it already has that dtype (so callers dispose only when `result !== t`).
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { castUntracked } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2], { dtype: 'int32' });
 * const f = castUntracked('exp', x, 'float32');
 * f.dtype; // 'float32'
 * ```
 */
export function castUntracked(op: string, t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const b = t.backendInstance;
  return wrapResult(b, runKernel(op, 'to', { backend: b, shape: t.shape, dtype }, kernelTensor(t), { dtype }));
}

function wants(spec: boolean | readonly number[], i: number): boolean {
  return spec === true || (Array.isArray(spec) && spec.includes(i));
}

/**
 * Records an op on the autodiff tape when autodiff is loaded, grad mode is on, some input
 * requires grad and the first output is floating point. The first output becomes differentiable
 * (`requiresGrad`, `gradFn`); the others (e.g. indices) may be saved for the rule.
 *
 * @example
 * ```ts
 * import { tensor, noGrad } from '@tensorgrad/tensor';
 * import { record } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => x.neg());
 * record('neg', [x], {}, [y]);
 * y.gradFn?.name; // 'neg'
 * ```
 */
export function record<N extends RecordedOpName>(
  name: N,
  inputs: readonly (Tensor | null | undefined)[],
  attrs: OpAttrs[N],
  outputs: readonly Tensor[],
): void {
  const hooks = autogradHooks();
  if (!hooks || !isGradEnabled()) return;
  if (!inputs.some((t) => t?.requiresGrad)) return;
  const out = outputs[0];
  if (!out || !isFloating(out.dtype)) return;
  const spec = hooks.saveSpec(name);
  if (!spec) return;
  const meta: (InputMeta | null)[] = inputs.map((t) =>
    t ? { shape: t.shape, dtype: t.dtype, requiresGrad: t.requiresGrad } : null,
  );
  const node = new GradNode(
    name,
    attrs,
    meta,
    inputs.map((t) => (t?.requiresGrad ? t.gradFn : null)),
    inputs.map((t) => (t?.requiresGrad && t.isLeaf ? t : null)),
    inputs.map((t, i) => (t && wants(spec.inputs, i) ? t._alias() : undefined)),
    spec.outputs ? outputs.map((o) => o._alias()) : [],
  );
  out.requiresGrad = true;
  out.gradFn = node;
  node.refs++;
}

/**
 * Runs a decomposition (other ops) without recording and frees its intermediates: the op then
 * records itself as one node with {@link record}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { decompose } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2, 3]);
 * const m = decompose(() => x.sum().div(3));
 * ```
 */
export function decompose<T>(fn: () => T): T {
  return noGrad(() => tidy(fn));
}

/** Options of unary element-wise front-ends. */
export interface UnaryOptions {
  /** Integer/bool inputs are promoted to float32 (as PyTorch does for `exp`, `log`, …). */
  promoteToFloat?: boolean;
  /** Bool inputs are rejected. */
  noBool?: boolean;
}

/**
 * The shared front-end of unary element-wise ops: checks, dtype promotion, dispatch, recording.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { unaryOp } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const y = unaryOp('exp', tensor([0, 1]), {}, { promoteToFloat: true });
 * ```
 */
export function unaryOp<N extends RecordedOpName & UnaryKernelName>(
  name: N,
  x: Tensor,
  attrs: OpAttrs[N],
  options: UnaryOptions = {},
): Tensor {
  assertTensor(name, x);
  if (options.noBool && x.dtype === 'bool') {
    throw new TypeError(`${name}: not defined for bool tensors; convert with .int() or .float() first`);
  }
  const backend = x.backendInstance;
  const dtype = options.promoteToFloat && !isFloating(x.dtype) ? 'float32' : x.dtype;
  const src = castUntracked(name, x, dtype);
  try {
    const kernel = kernelFor<UnaryKernelName>(name, backend, name, dtype);
    const out = wrapResult(backend, kernel({ backend, shape: x.shape, dtype }, kernelTensor(src), attrs));
    record(name, [x], attrs, [out]);
    return out;
  } finally {
    if (src !== x) src.dispose();
  }
}

/** How a binary op treats dtypes. */
export type BinaryKind = 'arith' | 'div' | 'compare';

/**
 * Turns number operands into 0-d tensors and computes PyTorch's result dtype.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { resultTypeOf } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * resultTypeOf(tensor([1], { dtype: 'int32' }), 2.5); // 'float32'
 * ```
 */
export function resultTypeOf(a: TensorOrScalar, b: TensorOrScalar): DType {
  if (a instanceof Tensor && b instanceof Tensor) {
    // PyTorch: a 0-d tensor does not promote a dimensioned tensor of the same category
    if (a.ndim === 0 && b.ndim > 0 && isFloating(a.dtype) === isFloating(b.dtype)) return b.dtype;
    if (b.ndim === 0 && a.ndim > 0 && isFloating(a.dtype) === isFloating(b.dtype)) return a.dtype;
    return promoteTypes(a.dtype, b.dtype);
  }
  if (a instanceof Tensor) return promoteWithScalar(a.dtype, b as number);
  if (b instanceof Tensor) return promoteWithScalar(b.dtype, a as number);
  return 'float32';
}

/**
 * The shared front-end of binary element-wise ops: number operands, dtype promotion,
 * broadcasting, dispatch and recording.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { binaryOp } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const y = binaryOp('mul', tensor([1, 2]), 3, {}, 'arith');
 * ```
 */
export function binaryOp<N extends RecordedOpName & BinaryKernelName>(
  name: N,
  a: TensorOrScalar,
  b: TensorOrScalar,
  attrs: OpAttrs[N],
  kind: BinaryKind,
): Tensor {
  const aT = a instanceof Tensor;
  const bT = b instanceof Tensor;
  if (!aT && typeof a !== 'number' && typeof a !== 'boolean') throw new TypeError(`${name}: expected input to be a Tensor or a number, got ${describe(a)}`);
  if (!bT && typeof b !== 'number' && typeof b !== 'boolean') throw new TypeError(`${name}: expected other to be a Tensor or a number, got ${describe(b)}`);
  if (!aT && !bT) throw new TypeError(`${name}: expected at least one Tensor operand, got ${describe(a)} and ${describe(b)}; wrap one with tensor(...)`);
  const backend = sameBackend(name, [aT ? a : null, bT ? b : null], ['input', 'other']);
  let dtype = resultTypeOf(a, b);
  if (kind === 'div' && !isFloating(dtype)) dtype = 'float32';
  if (kind === 'arith' && dtype === 'bool' && name !== 'mul' && name !== 'add') {
    throw new TypeError(`${name}: not supported for two bool operands; convert with .int() first`);
  }
  const computeType = kind === 'compare' ? promoteTypes(aT ? (a as Tensor).dtype : dtype, bT ? (b as Tensor).dtype : dtype) : dtype;
  const ta = aT ? (a as Tensor) : scalarTensor(a as number, computeType, backend);
  const tb = bT ? (b as Tensor) : scalarTensor(b as number, computeType, backend);
  const ca = castUntracked(name, ta, computeType);
  const cb = castUntracked(name, tb, computeType);
  try {
    const shape = broadcastShapes(name, ta.shape, tb.shape);
    const kernel = kernelFor<BinaryKernelName>(name, backend, name, computeType);
    const ctx = { backend, shape, dtype: kind === 'compare' ? 'bool' : computeType } as const;
    let out = wrapResult(backend, kernel(ctx, kernelTensor(ca, shape), kernelTensor(cb, shape), attrs));
    if (kind !== 'compare' && out.dtype !== dtype) {
      const cast = castUntracked(name, out, dtype);
      out.dispose();
      out = cast;
    }
    record(name, [ta, tb], attrs, [out]);
    return out;
  } finally {
    if (ca !== ta) ca.dispose();
    if (cb !== tb) cb.dispose();
    if (!aT) ta.dispose();
    if (!bT) tb.dispose();
  }
}

/**
 * Shape error helper: `op: expected …, got …`.
 *
 * @example
 * ```ts
 * import { shapeError } from '@tensorgrad/tensor/backend';
 * const e = shapeError('mm', 'a 2-d tensor', [2, 3, 4]);
 * ```
 */
export function shapeError(op: string, expected: string, got: Shape, hint = ''): RangeError {
  return new RangeError(`${op}: expected ${expected}, got shape ${formatShape(got)}${hint ? `; ${hint}` : ''}`);
}

/**
 * A contiguous copy of `t` with its own storage, not recorded and not tracked by `tidy`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import { cloneUntracked } from '@tensorgrad/tensor/backend';
 * import '@tensorgrad/backend-cpu';
 * const c = cloneUntracked(tensor([[1, 2], [3, 4]]).transpose(0, 1));
 * c.isContiguous(); // true
 * c.dispose();
 * ```
 */
export function cloneUntracked(t: Tensor): Tensor {
  const b = t.backendInstance;
  return wrapResult(b, runKernel('clone', 'contiguous', { backend: b, shape: t.shape, dtype: t.dtype }, kernelTensor(t), {}), true);
}
