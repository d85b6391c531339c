import type { Backend, MemoryInfo } from './backend.js';
import { getBackend, findBackendSync } from './backend.js';
import type { Tensor } from './tensor.js';
import { Storage } from './storage.js';

/** One open {@link tidy}: the tensors it will dispose. */
interface Scope {
  readonly tensors: Set<Tensor>;
  /** Set once its function returned a promise: the scope stays open until the promise settles. */
  async: boolean;
  /** Where an async scope was opened; V8 formats the stack only when it is read (in an error). */
  origin?: Error;
  /** Set when an async scope opened before this one finished while this one was still open. */
  interleavedWith?: Scope;
  /**
   * On the outermost open scope: internal tensors (saved for backward, gradients) made while it
   * is open, to be watched by the finalizer when it closes if they are still alive then.
   */
  pending?: Tensor[];
}

const scopes: Scope[] = [];
const liveTensors = new Map<Backend, number>();

declare const process: { env?: Record<string, string | undefined> } | undefined;
let debug = typeof process !== 'undefined' && process?.env?.TENSORGRAD_DEBUG === '1';

// What the finalizer needs once a tensor is garbage-collected without dispose(): its storage
// reference to release (only on backends whose memory the garbage collector can reclaim), and in
// debug mode a description of the tensor and where it was created. Never the tensor itself.
type Held = Storage | { readonly storage: Storage; readonly reclaim: boolean; readonly where: string };
let finalizer: FinalizationRegistry<Held> | null = null;

// The async scope that disposed a tensor, so that using it afterwards can say which scope took it.
const freedByAsyncScope = new WeakMap<Tensor, Scope>();

/**
 * Debug mode: every tensor garbage-collected without `dispose()` prints a warning with its shape,
 * dtype and where it was created. Off by default (it costs a stack trace per tensor); also
 * enabled by the environment variable `TENSORGRAD_DEBUG=1`.
 *
 * On backends whose memory the garbage collector can reclaim (`Backend.reclaimable`, e.g. `cpu`)
 * the collected tensor's storage is released anyway and the warning is a hint; on the others
 * (`webgpu`, whose GPU buffers the garbage collector neither sees nor frees) its buffer is leaked,
 * and the creation site in the warning is where to add `dispose()` or a `tidy`.
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

function registry(): FinalizationRegistry<Held> {
  finalizer ??= new FinalizationRegistry(collected);
  return finalizer;
}

// Runs in its own task some time after a tensor was garbage-collected without dispose().
function collected(held: Held): void {
  const storage = held instanceof Storage ? held : held.storage;
  const reclaim = held instanceof Storage || held.reclaim;
  const backend = storage.backend;
  if (reclaim) {
    liveTensors.set(backend, (liveTensors.get(backend) ?? 1) - 1);
    try {
      storage.release();
    } catch (e) {
      // a finalizer must not throw: that would crash the process from an unrelated task
      console.warn(`tensorgrad: releasing the storage of a garbage-collected tensor on '${backend.name}' failed: ${String(e)}`);
    }
  }
  if (!(held instanceof Storage)) {
    console.warn(
      `tensorgrad: a tensor was garbage-collected without dispose(): ${held.where}` +
        (reclaim
          ? ` (backend '${backend.name}' is reclaimable: its storage reference was released)`
          : ` (backend '${backend.name}' is not reclaimable: its buffer stays allocated and counted in memory() until the backend is disposed; dispose() the tensor or create it inside tidy())`),
    );
  }
}

// This package's own source (or build) directory: frames there are how a tensor is made, not who made it.
const ownDir = ((): { href: string; path: string } => {
  try {
    const dir = new URL('.', import.meta.url);
    return { href: dir.href, path: decodeURIComponent(dir.pathname) };
  } catch {
    return { href: '\0', path: '\0' };
  }
})();

// Debug mode only: the first three frames outside this package (all frames when it is bundled).
function creationSite(): string {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  E.stackTraceLimit = limit;
  // V8's frames start with "at ", which the messages around them already say
  const frames = stack.split('\n').slice(1).map((l) => l.trim().replace(/^at /, '')).filter((l) => l !== '');
  const outside = frames.filter((l) => !l.includes(ownDir.href) && !l.includes(ownDir.path));
  return (outside.length ? outside : frames.slice(3)).slice(0, 3).join(' <- ');
}

// Tensors the finalizer watches. Registering costs about as much as a small op, so a tensor made
// inside a tidy is only registered if it leaves every scope undisposed (returned from the
// outermost tidy, or keep()): until then the scope holds it, and disposes it at its end. Internal
// tensors made inside a tidy (saved for backward, gradients) belong to no scope; most are disposed
// before the outermost scope closes, which registers the others.
const watched = new WeakSet<Tensor>();
// how many pending internal tensors the outermost scope holds before registering the live ones
const PENDING_LIMIT = 4096;

/** @internal Called when a tensor is created (its `_storage` is set). */
export function trackTensor(t: Tensor, backend: Backend, internal: boolean): void {
  liveTensors.set(backend, (liveTensors.get(backend) ?? 0) + 1);
  const scope = internal ? undefined : scopes[scopes.length - 1];
  scope?.tensors.add(t);
  if (debug) {
    const where = `shape [${t.shape.join(',')}], ${t.dtype}, on '${backend.name}', created at ${creationSite()}`;
    registry().register(t, { storage: t._storage, reclaim: backend.reclaimable === true, where }, t);
    watched.add(t);
  } else if (scope === undefined && backend.reclaimable === true) {
    const root = scopes[0];
    if (root === undefined) {
      registry().register(t, t._storage, t);
      watched.add(t);
    } else {
      const pending = (root.pending ??= []);
      if (pending.push(t) > PENDING_LIMIT) flushPending(root);
    }
  }
}

// After the outermost scope closed and disposed its tensors (which disposes most internal ones):
// the next outermost scope, if one is still open, takes the pending tensors over, else they are
// watched now.
function handOverPending(scope: Scope): void {
  if (!scope.pending) return;
  const next = scopes[0];
  if (next) {
    (next.pending ??= []).push(...scope.pending);
    scope.pending = undefined;
  } else flushPending(scope);
}

function flushPending(scope: Scope): void {
  const pending = scope.pending;
  if (!pending) return;
  scope.pending = undefined;
  for (const t of pending) escape(t);
}

// A tensor made inside a scope leaves the last one without being disposed.
function escape(t: Tensor): void {
  if (t.isDisposed || watched.has(t) || t.backendInstance.reclaimable !== true) return;
  registry().register(t, t._storage, t);
  watched.add(t);
}

/** @internal Called when a tensor is disposed: it no longer counts and its finalizer is cancelled. */
export function untrackTensor(t: Tensor, backend: Backend): void {
  liveTensors.set(backend, (liveTensors.get(backend) ?? 1) - 1);
  finalizer?.unregister(t);
}

function originOf(scope: Scope): string {
  // frames: "Error: …", tidy, then the caller of tidy
  const frames = scope.origin?.stack?.split('\n').slice(2, 4).map((l) => l.trim().replace(/^at /, '')) ?? [];
  return frames.length ? frames.join(' <- ') : 'an unknown place';
}

/**
 * @internal Why a disposed tensor was disposed, when an async {@link tidy} did it (else `''`): the
 * tensor was created while that scope was open, possibly by code running during its awaits.
 */
export function disposalHint(t: Tensor): string {
  const scope = freedByAsyncScope.get(t);
  if (!scope) return '';
  return (
    `. It was disposed when the async tidy() opened at ${originOf(scope)} finished: an async tidy owns every tensor ` +
    'created until its promise settles, also by other code running during its awaits (another async tidy running at ' +
    'the same time, a timer, an event handler). Return the tensor from that tidy, keep() it, or create it outside the tidy'
  );
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
  let owned = false;
  for (const s of scopes) if (s.tensors.delete(t)) owned = true;
  if (owned) escape(t);
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
  scopes[scopes.length - 1]?.tensors.add(t);
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

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function disposeAll(scope: Scope): void {
  for (const t of scope.tensors) {
    if (scope.async && !t.isDisposed) freedByAsyncScope.set(t, scope);
    t.dispose();
  }
  scope.tensors.clear();
}

// Takes `scope` off the stack. When scopes opened after it are still open, scopes did not nest:
// returns the error to throw (after marking the async ones, which fail in turn when they finish).
function close(scope: Scope): Error | null {
  const i = scopes.lastIndexOf(scope);
  if (i < 0) return null;
  const above = scopes.slice(i + 1);
  scopes.splice(i, 1);
  // async scopes opened after an async one that ends first hold some of its tensors: they fail too
  // (after a synchronous one, the async scopes it left running are merely unowned by it)
  if (scope.async) for (const s of above) s.interleavedWith ??= scope;
  if (scope.interleavedWith) {
    return new Error(
      `tidy: the async tidy() opened at ${originOf(scope)} was still running when an async tidy() opened before it ` +
        `(at ${originOf(scope.interleavedWith)}) finished. Async tidy scopes must nest; two that run at the same time ` +
        'cannot tell whose tensors are whose (JavaScript has no portable async context), so both fail. ' +
        'Await each async tidy before starting the next (no Promise.all over async tidy calls, no tidy() without await)',
    );
  }
  if (above.length === 0) return null;
  if (!scope.async) {
    return new Error(
      `tidy: a synchronous tidy() returned while an async tidy() it started (at ${originOf(above[0]!)}) was still running; ` +
        'a synchronous tidy cannot wait for it. Make the outer function async and await the inner one: ' +
        'await tidy(async () => { …; await tidy(async () => …); … })',
    );
  }
  return new Error(
    `tidy: the async tidy() opened at ${originOf(scope)} finished while an async tidy() opened after it ` +
      `(at ${originOf(above[0]!)}) was still running. Async tidy scopes must nest; two that run at the same time ` +
      'cannot tell whose tensors are whose (JavaScript has no portable async context), so both fail. ' +
      'Await each async tidy before starting the next (no Promise.all over async tidy calls, no tidy() without await)',
  );
}

function finish<T>(scope: Scope, result: T): T {
  const misuse = close(scope);
  if (misuse) {
    disposeAll(scope);
    handOverPending(scope);
    throw misuse;
  }
  const returned = new Set<Tensor>();
  collect(result, returned, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of scope.tensors) {
    if (returned.has(t)) {
      if (parent) parent.tensors.add(t);
      else escape(t);
    } else {
      if (scope.async && !t.isDisposed) freedByAsyncScope.set(t, scope);
      t.dispose();
    }
  }
  scope.tensors.clear();
  handOverPending(scope);
  return result;
}

function fail(scope: Scope, err: unknown): never {
  close(scope);
  disposeAll(scope);
  handOverPending(scope);
  throw err;
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (also inside
 * arrays, plain objects and Maps) and those passed to {@link keep}. Also disposes them when
 * `fn` throws. Scopes nest: what an inner `tidy` returns belongs to the outer one.
 *
 * **Async functions**: when `fn` returns a promise, `tidy` returns a promise of the same value
 * and the scope stays open until it settles, so `await t.item()`, `await t.data()` and
 * `await toAsync(…)` work inside; the resolved value's tensors are returned as above. The scope
 * owns every tensor created while it is open, by `fn` *and by any other code that runs during its
 * awaits* (JavaScript has no portable async context to tell them apart), unless an inner `tidy`
 * is open. So await an async `tidy` before starting the next one: async scopes may nest, but two
 * that overlap without nesting (`Promise.all` over async `tidy` calls, a `tidy` without `await`)
 * both fail with an error naming where each was opened, and a synchronous `tidy` that returns
 * while an async one it started is still running throws. `tidy` rather than a separate async
 * function, so that one name covers both and `tidy(() => x.data())` simply works.
 *
 * @example
 * ```ts
 * import { tidy, tensor, memory } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const before = memory().numTensors;
 * const y = tidy(() => tensor([1, 2, 3]).mul(2).add(1)); // intermediates freed
 * memory().numTensors - before; // 1
 * ```
 *
 * @example
 * A training loop: everything a step creates is freed after it, except what it returns.
 * ```ts
 * import { tidy, tensor, memory } from '@tensorgrad/tensor';
 * import type { Tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import '@tensorgrad/autodiff';
 * const w = tensor([0.5], { requiresGrad: true });
 * const loader: [Tensor, Tensor][] = [[tensor([1, 2]), tensor([2, 4])]]; // or a DataLoader
 * const before = memory().numTensors;
 * const losses: number[] = [];
 * for await (const [x, y] of loader) {
 *   await tidy(async () => {
 *     const loss = x.mul(w).sub(y).square().mean();
 *     loss.backward();
 *     const l = await loss.item(); // awaits inside the scope
 *     losses.push(Number(l));
 *     w.grad = null; // the optimizer's zeroGrad()
 *   });
 * }
 * losses; // [5.625]
 * memory().numTensors - before; // 0
 * ```
 */
export function tidy<T>(fn: () => Promise<T>): Promise<T>;
export function tidy<T>(fn: () => T): T;
export function tidy<T>(fn: () => T | Promise<T>): T | Promise<T> {
  const scope: Scope = { tensors: new Set(), async: false };
  scopes.push(scope);
  let result: T | Promise<T>;
  try {
    result = fn();
  } catch (err) {
    fail(scope, err);
  }
  if (isThenable(result)) {
    scope.async = true;
    scope.origin = new Error('async tidy() opened here');
    return Promise.resolve(result).then(
      (value) => finish(scope, value),
      (err: unknown) => fail(scope, err),
    );
  }
  return finish(scope, result);
}

/**
 * Live tensors and bytes on a backend (the current one by default). `numTensors` counts tensor
 * objects not yet disposed (views included, as well as tensors saved for backward), `numBytes`
 * the storage the backend holds and `numBuffers` its buffers. Backends with device buffers
 * (`webgpu`) add `numGpuBuffers`: every buffer they hold on the device, the free ones their pool
 * keeps and staging buffers included.
 *
 * A tensor the garbage collector reclaims without `dispose()` stops counting on backends whose
 * memory the collector can reclaim (`Backend.reclaimable`, e.g. `cpu`): its storage reference is
 * released then (shared storage is freed with its last view). On the others (`webgpu`) it stays
 * counted, because its buffer really stays allocated; `setDebugMode(true)` names where it was
 * created.
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
  const out: MemoryInfo & { numBuffers: number } = { numTensors: liveTensors.get(b) ?? 0, numBytes: info.numBytes, numBuffers: info.numTensors };
  if (info.numGpuBuffers !== undefined) out.numGpuBuffers = info.numGpuBuffers;
  return out;
}
