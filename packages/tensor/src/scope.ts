import type { Backend, MemoryInfo } from './backend.js';
import { getBackend, findBackendSync } from './backend.js';
import type { Tensor } from './tensor.js';

const scopes: Set<Tensor>[] = [];
const liveTensors = new Map<Backend, number>();

declare const process: { env?: Record<string, string | undefined> } | undefined;
let debug = typeof process !== 'undefined' && process?.env?.TENSORGRAD_DEBUG === '1';
let leakWarner: FinalizationRegistry<string> | null = null;

/**
 * Debug mode: every tensor garbage-collected without `dispose()` prints a warning with its shape,
 * dtype and where it was created. Off by default (it costs a stack trace per tensor); also
 * enabled by the environment variable `TENSORGRAD_DEBUG=1`.
 *
 * @example
 * ```ts
 * import { setDebugMode } from '@tensorgrad/tensor';
 * setDebugMode(true);
 * setDebugMode(false);
 * ```
 */
export function setDebugMode(enabled: boolean): void {
  debug = enabled;
}

function warner(): FinalizationRegistry<string> {
  leakWarner ??= new FinalizationRegistry((where: string) => {
    console.warn(`tensorgrad: a tensor was garbage-collected without dispose(): ${where}`);
  });
  return leakWarner;
}

/** @internal Called when a tensor is created. */
export function trackTensor(t: Tensor, backend: Backend, internal: boolean): void {
  liveTensors.set(backend, (liveTensors.get(backend) ?? 0) + 1);
  if (!internal) scopes[scopes.length - 1]?.add(t);
  if (debug) {
    const stack = new Error().stack?.split('\n').slice(3, 6).join(' <- ') ?? '';
    warner().register(t, `shape [${t.shape.join(',')}], ${t.dtype}, on '${backend.name}', created at ${stack.trim()}`, t);
  }
}

/** @internal Called when a tensor is disposed. */
export function untrackTensor(t: Tensor, backend: Backend): void {
  liveTensors.set(backend, (liveTensors.get(backend) ?? 1) - 1);
  leakWarner?.unregister(t);
}

/**
 * Marks `t` as owned by the caller: {@link tidy} will not dispose it. Returns `t`.
 *
 * @example
 * ```ts
 * import { tidy, keep, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * let kept;
 * tidy(() => {
 *   kept = keep(tensor([1, 2]).mul(2));
 * });
 * kept.isDisposed; // false
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

/**
 * Hands `t` to the innermost open {@link tidy} scope (the opposite of {@link keep}): used by
 * functions that build results in their own scope and return them to the caller's.
 *
 * @example
 * ```ts
 * import { tidy, keep, adopt, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const t = keep(tensor([1]));
 * tidy(() => {
 *   adopt(t);
 * });
 * t.isDisposed; // true
 * ```
 */
export function adopt<T extends Tensor>(t: T): T {
  scopes[scopes.length - 1]?.add(t);
  return t;
}

type Tensors = Tensor | readonly Tensors[] | { readonly [k: string]: Tensors } | unknown;

function collect(value: Tensors, out: Set<Tensor>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (isTensorLike(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, seen);
    return;
  }
  if (value instanceof Map) {
    for (const v of value.values()) collect(v, out, seen);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, out, seen);
  }
}

function isTensorLike(v: object): v is Tensor {
  return (v as { _isTensor?: boolean })._isTensor === true;
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (also inside
 * arrays, plain objects and Maps) and those passed to {@link keep}. Also disposes them when
 * `fn` throws. `fn` must be synchronous.
 *
 * @example
 * ```ts
 * import { tidy, tensor, memory } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const before = memory().numTensors;
 * const y = tidy(() => tensor([1, 2, 3]).mul(2).add(1)); // intermediates freed
 * memory().numTensors - before; // 1
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) {
      throw new Error('tidy: the function returned a Promise; tidy() only works with synchronous functions (dispose tensors explicitly in async code)');
    }
  } catch (err) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw err;
  }
  scopes.pop();
  const returned = new Set<Tensor>();
  collect(result, returned, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (returned.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/**
 * Live tensors and bytes on a backend (the current one by default). `numTensors` counts tensor
 * objects not yet disposed (views included, as well as tensors saved for backward), `numBytes`
 * the storage the backend holds.
 *
 * @example
 * ```ts
 * import { memory, tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const before = memory();
 * const t = tensor([1, 2, 3]);
 * memory().numTensors - before.numTensors; // 1
 * t.dispose();
 * ```
 */
export function memory(backend?: string): MemoryInfo & { numBuffers: number } {
  const b = backend === undefined ? getBackend() : findBackendSync(backend);
  const info = b.memory();
  return { numTensors: liveTensors.get(b) ?? 0, numBytes: info.numBytes, numBuffers: info.numTensors };
}
