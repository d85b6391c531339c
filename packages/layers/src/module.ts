import { isFloating, keep, noGrad, Tensor, type DType } from '@tensorgrad/tensor';
import { CallableInstance } from '@tensorgrad/tensor/backend';
import { parseArgs, signature } from './args.js';
import { Parameter } from './parameter.js';
import { wrappedStateDictHint } from './state-dict-shape.js';

/** Any module, whatever its `forward` signature. */
export type AnyModule = Module<any[], any>;

/**
 * A forward hook: called by {@link Module.call} after `forward` with the module, the inputs and
 * the output. Returning a value other than `undefined` replaces the output (PyTorch semantics).
 */
export type ForwardHook<I extends unknown[] = unknown[], O = unknown> = (module: AnyModule, inputs: I, output: O) => O | undefined | void;

/** Handle returned by {@link Module.registerForwardHook}: `remove()` unregisters the hook. */
export interface RemovableHandle {
  /** Unregisters the hook (idempotent). */
  remove(): void;
}

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /**
   * Require the keys of the state dict to match the module's exactly (default `true`); with
   * `false` missing and unexpected keys are reported in the result instead of throwing.
   */
  strict?: boolean;
}

/** Result of {@link Module.loadStateDict}: the keys that did not match (PyTorch's `_IncompatibleKeys`). */
export interface LoadStateDictResult {
  /** Keys the module expects that the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict the module does not have. */
  unexpectedKeys: string[];
}

/** Target of {@link Module.to}: a backend name, a dtype, or both. */
export type ModuleToTarget = string | { backend?: string; dtype?: DType };

/** Options of {@link Module.registerBuffer}. */
export interface RegisterBufferOptions {
  /** Whether the buffer is part of {@link Module.stateDict} (default `true`). */
  persistent?: boolean;
}

/** Options of {@link Module.zeroGrad}. */
export interface ZeroGradOptions {
  /** Free the gradients (`grad = null`, default `true`, as in PyTorch 2) instead of filling them with zeros. */
  setToNone?: boolean;
}

const DTYPES: readonly string[] = ['float32', 'float64', 'int32', 'bool'];
const RESERVED = new Set(['training']);

function shapeOfOutput(out: unknown): number[] | null {
  if (out instanceof Tensor) return [...out.shape];
  return null;
}


/**
 * Calling a module runs {@link Module.call}: `model(x)` is `model.call(x)` (PyTorch's
 * `module(x)`), typed with the parameters and the return type of the module's own `forward`.
 */
export interface Module<I extends unknown[] = [Tensor], O = Tensor> {
  (...inputs: Parameters<this['forward']>): ReturnType<this['forward']>;
  (...inputs: I): O;
}

/**
 * Base class of every layer (PyTorch's `nn.Module`). Subclasses implement `forward`; a module is
 * called like a function, `model(x)` (or `model.call(x)`, the same thing), which runs `forward` and
 * then the forward hooks. Modules are function objects (`typeof model === 'function'`) that stay
 * instances of their class: `instanceof`, fields, methods and printing work as for any object.
 *
 * **Registration.** Parameters, submodules and buffers are tracked in insertion order. Fields
 * holding a {@link Parameter} or a `Module` are registered automatically (PyTorch style: scanned,
 * in field order, the first time the module is inspected), or explicitly with
 * {@link Module.registerParameter} / {@link Module.registerModule}. Buffers (plain tensors such as
 * BatchNorm's running statistics) are registered only explicitly with
 * {@link Module.registerBuffer}. Registered names become accessor properties, so reassigning
 * `this.fc = new Linear(…)` updates the registry. Names starting with `_` are never scanned.
 *
 * **Ownership.** A module owns its parameters and buffers (kept out of `tidy`); `dispose()` frees
 * them, recursively.
 *
 * @example
 * ```ts
 * import { Module, Linear, ReLU } from '@tensorgrad/layers';
 * import { randn, type Tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * class Net extends Module {
 *   fc1 = new Linear(4, 8);
 *   act = new ReLU();
 *   fc2 = new Linear(8, 2);
 *   override forward(x: Tensor): Tensor {
 *     return this.fc2(this.act(this.fc1(x)));
 *   }
 * }
 * const net = new Net();
 * net.namedParameters().map(([name]) => name); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 * net(randn([3, 4])).shape; // [3, 2]
 * net.call(randn([3, 4])).shape; // [3, 2]
 * net instanceof Net; // true
 * net.dispose();
 * ```
 */
export class Module<I extends unknown[] = [Tensor], O = Tensor> extends CallableInstance {
  /**
   * PyTorch's `nn.Module()` takes no arguments. Subclasses declare their own; one that declares
   * none refuses any it is given (`new Net(5)` throws instead of ignoring the 5).
   */
  constructor(...args: []) {
    super();
    parseArgs(signature(`new ${new.target.name}`, []), args);
  }

  /** Whether the module is in training mode (set by {@link Module.train} / {@link Module.eval}). */
  training = true;
  /** @internal */ readonly _parameters = new Map<string, Parameter | null>();
  /** @internal */ readonly _buffers = new Map<string, Tensor | null>();
  /** @internal */ readonly _nonPersistent = new Set<string>();
  /** @internal */ readonly _modules = new Map<string, AnyModule | null>();
  /** @internal */ readonly _forwardHooks = new Map<number, (module: AnyModule, inputs: unknown[], output: unknown) => unknown>();
  /** @internal */ _nextHookId = 0;
  /** @internal Shape of the output of the last `call` (for the summary table). */
  _lastOutputShape: number[] | null = null;

  /** The computation; subclasses override it. Call the module itself, `model(x)` (or {@link Module.call}), so that hooks run. */
  forward(...inputs: I): O {
    void inputs;
    throw new Error(
      `${this.constructor.name} has no forward(): a Module subclass must define it, e.g. ` +
        '`class Net extends Module { forward(x: Tensor) { return this.fc.call(x); } }`',
    );
  }

  /**
   * Runs `forward(...inputs)`, then the forward hooks: what calling the module, `model(x)`, does
   * (PyTorch's `module(x)`).
   *
   * @example
   * ```ts
   * import { Linear } from '@tensorgrad/layers';
   * import { ones } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const fc = new Linear(3, 2);
   * fc.call(ones([4, 3])).shape; // [4, 2]
   * fc(ones([4, 3])).shape; // [4, 2]
   * ```
   */
  call(...inputs: I): O {
    let out = this.forward(...inputs);
    for (const hook of [...this._forwardHooks.values()]) {
      const r = hook(this as unknown as AnyModule, inputs, out);
      if (r !== undefined) out = r as O;
    }
    this._lastOutputShape = shapeOfOutput(out);
    return out;
  }

  /**
   * Registers `hook(module, inputs, output)`, called after every {@link Module.call}; returning
   * a value replaces the output.
   *
   * @example
   * ```ts
   * import { ReLU } from '@tensorgrad/layers';
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const relu = new ReLU();
   * const seen: number[][] = [];
   * const handle = relu.registerForwardHook((_m, _inputs, out) => { seen.push([...out.shape]); });
   * relu.call(tensor([1, -1]));
   * handle.remove();
   * relu.call(tensor([1, -1]));
   * seen; // [[2]]
   * ```
   */
  registerForwardHook(hook: ForwardHook<I, O>): RemovableHandle {
    if (typeof hook !== 'function') throw new TypeError(`registerForwardHook: expected a function (module, inputs, output) => …, got ${typeof hook}`);
    const id = this._nextHookId++;
    this._forwardHooks.set(id, hook as unknown as (module: AnyModule, inputs: unknown[], output: unknown) => unknown);
    return { remove: () => void this._forwardHooks.delete(id) };
  }

  private _checkName(op: string, name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new TypeError(`${op}: expected a non-empty name without '.', got ${JSON.stringify(name)}`);
    }
    if (name.startsWith('_') || RESERVED.has(name)) throw new TypeError(`${op}: the name '${name}' is reserved (names must not start with '_' or be 'training'); choose another`);
  }

  private _defineAccessor(name: string): void {
    Object.defineProperty(this, name, {
      configurable: true,
      enumerable: true,
      get: () => this._parameters.get(name) ?? this._buffers.get(name) ?? this._modules.get(name) ?? null,
      set: (v: unknown) => {
        if (this._parameters.has(name)) {
          if (v !== null && !(v instanceof Parameter)) {
            throw new TypeError(`${this.constructor.name}: cannot assign a ${v instanceof Tensor ? 'plain Tensor' : typeof v} to parameter '${name}'; wrap it: new Parameter(t), or assign null`);
          }
          this._parameters.set(name, v);
        } else if (this._buffers.has(name)) {
          if (v !== null && !(v instanceof Tensor)) throw new TypeError(`${this.constructor.name}: expected a Tensor or null for buffer '${name}', got ${typeof v}`);
          if (v) keep(v);
          this._buffers.set(name, v);
        } else {
          if (v !== null && !(v instanceof Module)) throw new TypeError(`${this.constructor.name}: expected a Module or null for submodule '${name}', got ${typeof v}`);
          this._modules.set(name, v as AnyModule | null);
        }
      },
    });
  }

  private _forget(name: string): void {
    this._parameters.delete(name);
    this._buffers.delete(name);
    this._modules.delete(name);
    this._nonPersistent.delete(name);
  }

  /**
   * Registers a parameter (or `null`, a declared but absent parameter such as a disabled bias)
   * under `name`; the module takes ownership. Returns it.
   *
   * @example
   * ```ts
   * import { Module, Parameter } from '@tensorgrad/layers';
   * import { ones } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const m = new Module();
   * m.registerParameter('scale', new Parameter(ones([3])));
   * m.namedParameters().map(([n, p]) => [n, p.shape]); // [['scale', [3]]]
   * ```
   */
  registerParameter<P extends Parameter | null>(name: string, param: P): P {
    this._checkName('registerParameter', name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`registerParameter: expected a Parameter or null for '${name}', got ${param instanceof Tensor ? 'a plain Tensor (wrap it: new Parameter(t))' : typeof param}`);
    }
    this._forget(name);
    this._parameters.set(name, param);
    this._defineAccessor(name);
    return param;
  }

  /**
   * Registers a buffer: a tensor that is state but not a parameter (BatchNorm's running
   * statistics). The module takes ownership (`keep`s it, frees it on `dispose`). Persistent
   * buffers (the default) are part of {@link Module.stateDict}. Returns it.
   *
   * @example
   * ```ts
   * import { Module } from '@tensorgrad/layers';
   * import { zeros } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const m = new Module();
   * m.registerBuffer('count', zeros([1]));
   * Object.keys(m.stateDict()); // ['count']
   * ```
   */
  registerBuffer<T extends Tensor | null>(name: string, tensor: T, options: RegisterBufferOptions = {}): T {
    this._checkName('registerBuffer', name);
    if (tensor !== null && !(tensor instanceof Tensor)) throw new TypeError(`registerBuffer: expected a Tensor or null for '${name}', got ${typeof tensor}`);
    this._forget(name);
    if (tensor) keep(tensor);
    this._buffers.set(name, tensor);
    if (options.persistent === false) this._nonPersistent.add(name);
    this._defineAccessor(name);
    return tensor;
  }

  /**
   * Registers a submodule (or `null`) under `name`. Returns it.
   *
   * @example
   * ```ts
   * import { Module, Linear } from '@tensorgrad/layers';
   * import '@tensorgrad/backend-cpu';
   * const m = new Module();
   * m.registerModule('head', new Linear(2, 1));
   * m.namedChildren().map(([n]) => n); // ['head']
   * ```
   */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    this._checkName('registerModule', name);
    if (module !== null && !(module instanceof Module)) throw new TypeError(`registerModule: expected a Module or null for '${name}', got ${typeof module}`);
    this._forget(name);
    this._modules.set(name, module);
    this._defineAccessor(name);
    return module;
  }

  /** @internal Registers fields holding a Parameter or a Module that were assigned directly. */
  _sync(): void {
    for (const key of Object.keys(this)) {
      if (key.startsWith('_') || RESERVED.has(key) || this._parameters.has(key) || this._buffers.has(key) || this._modules.has(key)) continue;
      const v = (this as Record<string, unknown>)[key];
      if (v instanceof Parameter) this.registerParameter(key, v);
      else if (v instanceof Module) this.registerModule(key, v as AnyModule);
    }
  }

  /**
   * @internal Called by {@link Module.loadStateDict} on each module after its own entries were
   * copied in, with those entries (local names → the state dict's tensors), so a module that keeps
   * host-side state mirroring a buffer (BatchNorm's batch count) can refresh it.
   */
  _afterLoadStateDict(_loaded: ReadonlyMap<string, Tensor>): void {}

  /** Direct submodules with their names, in registration order. */
  namedChildren(): [string, AnyModule][] {
    this._sync();
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    for (const [n, m] of this._modules) {
      if (m && !seen.has(m)) {
        seen.add(m);
        out.push([n, m]);
      }
    }
    return out;
  }

  /** Direct submodules, in registration order. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant with its dotted name (`''` for this one), depth first. */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (m: AnyModule, p: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [n, c] of m.namedChildren()) visit(c, p ? `${p}.${n}` : n);
    };
    visit(this as unknown as AnyModule, prefix);
    return out;
  }

  /** This module and every descendant, depth first. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Parameters with PyTorch's dotted names (`0.weight`, `fc1.bias`), own ones first, then each
   * child's; a parameter shared by several modules is listed once.
   */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const mods = recurse ? this.namedModules(prefix) : ([[prefix, this as unknown as AnyModule]] as [string, AnyModule][]);
    for (const [mp, m] of mods) {
      m._sync();
      for (const [n, p] of m._parameters) {
        if (p && !seen.has(p)) {
          seen.add(p);
          out.push([mp ? `${mp}.${n}` : n, p]);
        }
      }
    }
    return out;
  }

  /** Every parameter (deduplicated), in {@link Module.namedParameters} order: pass it to an optimizer. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** Buffers with their dotted names (`bn.running_mean`). */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods = recurse ? this.namedModules(prefix) : ([[prefix, this as unknown as AnyModule]] as [string, AnyModule][]);
    for (const [mp, m] of mods) {
      for (const [n, b] of m._buffers) {
        if (b && !seen.has(b)) {
          seen.add(b);
          out.push([mp ? `${mp}.${n}` : n, b]);
        }
      }
    }
    return out;
  }

  /** Every buffer (deduplicated). */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** Calls `fn` on every submodule (children first) and then on this module; returns `this`. */
  apply(fn: (module: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  /** Sets training mode (`true`, the default) or evaluation mode on this module and its descendants; returns `this`. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`train: expected mode to be a boolean, got ${typeof mode}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): Dropout is off and BatchNorm uses its running statistics. */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter (frees them; `{ setToNone: false }` fills them with zeros). */
  zeroGrad(options: ZeroGradOptions = {}): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (options.setToNone === false) noGrad(() => p.grad!.zero_());
      else p.grad = null;
    }
  }

  /**
   * The module's state with PyTorch's key names: every parameter and persistent buffer
   * (`0.weight`, `bn.running_mean`, `bn.num_batches_tracked`). The values are detached views that
   * share storage with the module's tensors (as in PyTorch); the caller owns the views (dispose
   * them, or create the dict inside `tidy`).
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [mp, m] of this.namedModules()) {
      m._sync();
      const name = (n: string): string => (mp ? `${mp}.${n}` : n);
      for (const [n, p] of m._parameters) if (p) out[name(n)] = p.detach();
      for (const [n, b] of m._buffers) if (b && !m._nonPersistent.has(n)) out[name(n)] = b.detach();
    }
    return out;
  }

  /**
   * Copies the tensors of `stateDict` (a record or a `Map`, PyTorch key names) into this module's
   * parameters and persistent buffers, in place. Everything is checked first: with
   * `strict: true` (the default) missing or unexpected keys throw, and a shape mismatch always
   * throws; nothing is modified when it throws. Returns the keys that did not match.
   *
   * @example
   * ```ts
   * import { Linear } from '@tensorgrad/layers';
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const fc = new Linear(2, 1);
   * fc.loadStateDict({ weight: tensor([[1, 2]]), bias: tensor([0.5]) });
   * await fc.weight.array(); // [[1, 2]]
   * fc.loadStateDict({ weight: tensor([[3, 4]]) }, { strict: false }); // { missingKeys: ['bias'], unexpectedKeys: [] }
   * ```
   */
  loadStateDict(stateDict: Record<string, Tensor> | Map<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    if (stateDict instanceof Module) throw new TypeError(`loadStateDict: expected a record or Map of tensors, got a ${stateDict.constructor.name} module; pass its state dict: loadStateDict(other.stateDict())`);
    if (stateDict === null || typeof stateDict !== 'object') throw new TypeError(`loadStateDict: expected a record or Map of tensors, got ${stateDict === null ? 'null' : typeof stateDict}`);
    const entries = new Map<string, unknown>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const own = new Map<string, Tensor>();
    const owner = new Map<string, [AnyModule, string]>();
    for (const [mp, m] of this.namedModules()) {
      m._sync();
      const name = (n: string): string => (mp ? `${mp}.${n}` : n);
      const add = (n: string, t: Tensor): void => {
        own.set(name(n), t);
        owner.set(name(n), [m, n]);
      };
      for (const [n, p] of m._parameters) if (p) add(n, p);
      for (const [n, b] of m._buffers) if (b && !m._nonPersistent.has(n)) add(n, b);
    }
    const wrapped = wrappedStateDictHint(entries, own);
    if (wrapped) throw new TypeError(`${this.constructor.name}.loadStateDict: ${wrapped}`);
    const missingKeys = [...own.keys()].filter((k) => !entries.has(k));
    const unexpectedKeys = [...entries.keys()].filter((k) => !own.has(k));
    const errors: string[] = [];
    for (const [k, v] of entries) {
      const t = own.get(k);
      if (!t) continue;
      if (!(v instanceof Tensor)) errors.push(`'${k}': expected a Tensor, got ${v === null ? 'null' : typeof v}`);
      else if (v.isDisposed) errors.push(`'${k}': the tensor is disposed`);
      else if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
        errors.push(`'${k}': shape [${v.shape.join(', ')}] in the state dict, but the module's is [${t.shape.join(', ')}]`);
      }
    }
    if (strict && (missingKeys.length || unexpectedKeys.length)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing keys: ${missingKeys.map((k) => `'${k}'`).join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
      errors.unshift(parts.join('; ') + ' (pass { strict: false } to load the matching keys only)');
    }
    if (errors.length) throw new Error(`${this.constructor.name}.loadStateDict: ${errors.length} error(s), nothing was loaded:\n  ${errors.join('\n  ')}`);
    const loaded = new Map<AnyModule, Map<string, Tensor>>();
    noGrad(() => {
      for (const [k, v] of entries) {
        const t = own.get(k);
        if (!t) continue;
        t.copy_(v as Tensor);
        const [m, local] = owner.get(k)!;
        if (!loaded.has(m)) loaded.set(m, new Map());
        loaded.get(m)!.set(local, v as Tensor);
      }
    });
    for (const [m, local] of loaded) m._afterLoadStateDict(local);
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Moves every parameter and buffer to another backend and/or converts the floating-point ones
   * to `dtype` (integer buffers such as `num_batches_tracked` keep theirs), like PyTorch's
   * `module.to(...)`. Parameters are replaced by new ones (gradients are dropped); the old
   * tensors are freed. Returns `this`.
   *
   * @example
   * ```ts
   * import { Linear } from '@tensorgrad/layers';
   * import '@tensorgrad/backend-cpu';
   * const fc = new Linear(2, 1).to('float64');
   * fc.weight.dtype; // 'float64'
   * fc.weight.requiresGrad; // true
   * ```
   */
  to(target: ModuleToTarget): this {
    let backend: string | undefined;
    let dtype: DType | undefined;
    if (typeof target === 'string') {
      if (DTYPES.includes(target)) dtype = target as DType;
      else backend = target;
    } else if (target && typeof target === 'object') {
      backend = target.backend;
      dtype = target.dtype;
    } else {
      throw new TypeError(`to: expected a backend name, a dtype or { backend, dtype }, got ${typeof target}`);
    }
    const convert = (t: Tensor): Tensor => {
      const d = dtype && isFloating(t.dtype) ? dtype : t.dtype;
      return noGrad(() => t.to({ dtype: d, ...(backend ? { backend } : {}) }));
    };
    for (const m of this.modules()) {
      m._sync();
      for (const [n, p] of m._parameters) {
        if (!p) continue;
        const moved = convert(p);
        const np = new Parameter(moved, p.requiresGrad);
        moved.dispose();
        p.dispose();
        m._parameters.set(n, np);
      }
      for (const [n, b] of m._buffers) {
        if (!b) continue;
        const nb = keep(convert(b));
        b.dispose();
        m._buffers.set(n, nb);
      }
    }
    return this;
  }

  /** Frees every parameter, gradient and buffer of this module and its descendants. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const b of this.buffers()) b.dispose();
  }

  /** Name of the module in the summary table (the class name). */
  get typeName(): string {
    return this.constructor.name;
  }

  /**
   * A torchsummary-like table: one row per leaf module with its type, the output shape of its
   * last `call` (`-` before the first forward; see {@link summary}) and its parameter count, then
   * the total, trainable and non-trainable parameter counts.
   */
  override toString(): string {
    return summaryTable(this as unknown as AnyModule);
  }

  /** Node's `util.inspect` and `console.log` print the module like `toString()` (not as `[Function]`). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** @internal `1,234` (torchsummary's `{0:,}`), or `--` for a layer without parameters. */
export function formatCount(n: number, dashForZero = false): string {
  return dashForZero && n === 0 ? '--' : n.toLocaleString('en-US');
}

/** @internal The torchsummary table: rows of [layer, output shape, param #], then the totals. */
export function formatSummaryTable(rows: readonly (readonly [string, string, string])[], total: number, trainable: number): string[] {
  const line = '-'.repeat(64);
  const eq = '='.repeat(64);
  const row = (a: string, b: string, c: string): string => `${a.padStart(20)}  ${b.padStart(25)} ${c.padStart(15)}`;
  return [
    line,
    row('Layer (type)', 'Output Shape', 'Param #'),
    eq,
    ...rows.map(([a, b, c]) => row(a, b, c)),
    eq,
    `Total params: ${formatCount(total)}`,
    `Trainable params: ${formatCount(trainable)}`,
    `Non-trainable params: ${formatCount(total - trainable)}`,
    line,
  ];
}

/** @internal The table behind {@link Module.toString}: leaf modules in registration order. */
export function summaryTable(model: AnyModule): string {
  const leaves = model.modules().filter((m) => m.children().length === 0);
  const rows = leaves.map((m, i): [string, string, string] => [
    `${m.typeName}-${i + 1}`,
    m._lastOutputShape ? `[${m._lastOutputShape.join(', ')}]` : '-',
    formatCount(m.parameters(false).reduce((s, p) => s + p.numel(), 0), true),
  ]);
  const params = model.parameters();
  const total = params.reduce((s, p) => s + p.numel(), 0);
  const trainable = params.filter((p) => p.requiresGrad).reduce((s, p) => s + p.numel(), 0);
  return formatSummaryTable(rows, total, trainable).join('\n');
}
