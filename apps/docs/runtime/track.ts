// Frees what an example keeps beyond its run. The run's `tidy` frees every tensor the example
// creates, but not the ones the library deliberately keeps out of scopes: a module's parameters
// and buffers (`new Linear(2, 3)` keep()s them: they belong to the module), optimizer state, and
// whatever the example passes to `keep()`. The example only reaches the library through the
// namespaces `require` returns, so those are handed out wrapped: every function and class the
// example calls or constructs reports what it returned, and after the run the tracker disposes
// the objects the example constructed (modules, optimizers, metrics: anything with `dispose()`),
// the modules factories returned (`resnet18()`), and the tensors calls returned (`keep(t)`).
// Wrapping is by Proxy, so `instanceof`, `extends Module`, statics and `this` behave as before.
import { isTensor } from './format.js';
import type { ExampleModules } from './run-example.js';

type Disposable = { dispose(): void };

/** Records what a run's calls into the library returned; {@link Tracker.dispose} frees it. */
export interface Tracker {
  /** Disposes what the run left undisposed, newest first; returns the problems it met. */
  dispose(): string[];
}

// modules are callable objects (typeof 'function'), like PyTorch's `model(x)`
function isObject(v: unknown): v is object {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

function hasDispose(v: unknown): v is Disposable {
  return isObject(v) && typeof (v as { dispose?: unknown }).dispose === 'function';
}

// A backend instance (findBackend's result, `new CpuBackend()` handed to registerBackend) is shared
// by every run after this one: disposing it would break them.
function isBackend(v: object): boolean {
  return typeof (v as { alloc?: unknown }).alloc === 'function' && typeof (v as { kernels?: unknown }).kernels === 'object';
}

let current: { owned: Set<Disposable>; moduleClass: Function | undefined } | null = null;

// What a call returned: tensors (also inside arrays, plain objects and Maps, or once a returned
// promise settles) and, from constructors and for modules, objects with dispose().
function note(value: unknown, constructed: boolean, depth = 0): void {
  const run = current;
  if (!run || !isObject(value) || depth > 2) return;
  if (typeof (value as { then?: unknown }).then === 'function') {
    (value as PromiseLike<unknown>).then(
      (v) => current === run && note(v, false, depth + 1),
      () => {},
    );
    return;
  }
  if (isTensor(value)) {
    run.owned.add(value);
    return;
  }
  if (hasDispose(value) && !isBackend(value) && (constructed || (run.moduleClass !== undefined && value instanceof run.moduleClass))) {
    run.owned.add(value);
    return;
  }
  if (Array.isArray(value)) for (const v of value) note(v, false, depth + 1);
  else if (value instanceof Map) for (const v of value.values()) note(v, false, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) note(v, false, depth + 1);
}

const handler: ProxyHandler<(...args: unknown[]) => unknown> = {
  apply(target, thisArg, args) {
    const r = Reflect.apply(target, thisArg, args);
    note(r, false);
    return r;
  },
  construct(target, args, newTarget) {
    const r = Reflect.construct(target, args, newTarget) as object;
    note(r, true);
    return r;
  },
};

const wrappedSets = new WeakMap<ExampleModules, ExampleModules>();

/** `modules` with every exported function and class wrapped so that runs can be tracked. */
export function trackedModules(modules: ExampleModules): ExampleModules {
  let wrapped = wrappedSets.get(modules);
  if (!wrapped) {
    const proxies = new Map<unknown, unknown>(); // one proxy per function, shared by the namespaces re-exporting it
    const wrap = (v: unknown): unknown => {
      if (typeof v !== 'function') return v;
      if (!proxies.has(v)) proxies.set(v, new Proxy(v as (...args: unknown[]) => unknown, handler));
      return proxies.get(v);
    };
    wrapped = Object.fromEntries(
      Object.entries(modules).map(([specifier, ns]) => [
        specifier,
        Object.freeze(Object.fromEntries(Object.entries(ns).map(([name, v]) => [name, wrap(v)]))),
      ]),
    );
    wrappedSets.set(modules, wrapped);
  }
  return wrapped;
}

/**
 * Starts recording for one run (runs never overlap). `moduleClass` is the layers package's
 * `Module`: a factory's result that is a module gets disposed too.
 */
export function startTracking(moduleClass: Function | undefined): Tracker {
  const run = { owned: new Set<Disposable>(), moduleClass };
  current = run;
  return {
    dispose() {
      if (current === run) current = null;
      const problems: string[] = [];
      // objects first (a module frees its own parameters), then loose tensors
      const all = [...run.owned].reverse();
      for (const o of [...all.filter((v) => !isTensor(v)), ...all.filter(isTensor)]) {
        if (isTensor(o) && o.isDisposed) continue;
        try {
          o.dispose();
        } catch (e) {
          problems.push(`${(o as object).constructor?.name ?? 'object'}.dispose() failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      run.owned.clear();
      return problems;
    },
  };
}
