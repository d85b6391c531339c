import type { Tensor } from '@tensorgrad/tensor';
import { checkOptionKeys, isOptionsObject, parseArgs, signature } from './args.js';
import { Module, type AnyModule } from './module.js';

const MODULE_LIST = signature('new ModuleList', ['modules']);

function checkModule(owner: string, m: unknown, where: string): void {
  // a plain object is an options object, which these containers do not take: name its keys
  if (isOptionsObject(m)) checkOptionKeys(`new ${owner}`, m, []);
  if (!(m instanceof Module)) {
    throw new TypeError(`${owner}: expected a Module as ${where}, got ${m === null ? 'null' : typeof m}; pass layers, e.g. new ${owner}(${owner === 'Sequential' ? 'new Linear(4, 2), new ReLU()' : '[new Linear(4, 2)]'})`);
  }
}

/**
 * Runs its modules in order, feeding each output to the next (PyTorch's `nn.Sequential`); the
 * modules are registered as `'0'`, `'1'`, …, so state-dict keys are `0.weight`, `3.bias`, ….
 *
 * @example
 * ```ts
 * import { Sequential, Conv2d, MaxPool2d, ReLU, Flatten, Linear } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const model = new Sequential(
 *   new Conv2d(1, 64, 3), new MaxPool2d(2), new ReLU(),
 *   new Conv2d(64, 128, 3), new MaxPool2d(2), new ReLU(),
 *   new Flatten(), new Linear(3200, 256), new ReLU(), new Linear(256, 10),
 * );
 * model.parameters().reduce((n, p) => n + p.numel(), 0); // 896522
 * model.call(zeros([2, 1, 28, 28])).shape; // [2, 10]
 * Object.keys(model.stateDict())[0]; // '0.weight'
 * ```
 */
export class Sequential extends Module {
  /** PyTorch's `Sequential(*modules)`: the modules in order. */
  constructor(...modules: AnyModule[]) {
    super();
    // like every constructor, a trailing options object is checked: Sequential has no options
    const last = modules[modules.length - 1];
    if (isOptionsObject(last)) {
      checkOptionKeys('new Sequential', last, []);
      modules = modules.slice(0, -1);
    }
    modules.forEach((m, i) => {
      checkModule('Sequential', m, `argument ${i}`);
      this.registerModule(String(i), m);
    });
  }

  /** Number of modules. */
  override get length(): number {
    return this._modules.size;
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): AnyModule {
    const list = [...this._modules.values()];
    const m = list[i < 0 ? list.length + i : i];
    if (!m) throw new RangeError(`Sequential.at: index ${i} is out of range for ${list.length} modules`);
    return m;
  }

  /** Appends a module (registered under the next index); returns `this`. */
  append(module: AnyModule): this {
    this.registerModule(String(this._modules.size), module);
    return this;
  }

  override forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this._modules.values()) if (m) x = m.call(x) as Tensor;
    return x;
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return [...this._modules.values()].filter((m): m is AnyModule => m !== null)[Symbol.iterator]();
  }
}

/**
 * A list of submodules registered as `'0'`, `'1'`, … (PyTorch's `nn.ModuleList`); it has no
 * `forward`.
 *
 * @example
 * ```ts
 * import { ModuleList, Linear } from '@tensorgrad/layers';
 * import '@tensorgrad/backend-cpu';
 * const layers = new ModuleList([new Linear(2, 2), new Linear(2, 1)]);
 * layers.length; // 2
 * layers.namedParameters().map(([n]) => n); // ['0.weight', '0.bias', '1.weight', '1.bias']
 * ```
 */
export class ModuleList extends Module {
  /** PyTorch's `ModuleList(modules=None)`, positionally or by name. */
  constructor(modules?: Iterable<AnyModule>);
  constructor(options: { modules?: Iterable<AnyModule> });
  constructor(...args: unknown[]) {
    super();
    const modules = parseArgs(MODULE_LIST, args).modules ?? [];
    if (typeof (modules as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList: expected an array of modules, got ${typeof modules}; e.g. new ModuleList([new Linear(2, 2)])`);
    }
    let i = 0;
    for (const m of modules as Iterable<unknown>) {
      checkModule('ModuleList', m, `element ${i++}`);
      this.append(m as AnyModule);
    }
  }
  /** Number of modules. */
  override get length(): number {
    return this._modules.size;
  }
  /** The module at position `i` (negative counts from the end). */
  at(i: number): AnyModule {
    const list = [...this._modules.values()];
    const m = list[i < 0 ? list.length + i : i];
    if (!m) throw new RangeError(`ModuleList.at: index ${i} is out of range for ${list.length} modules`);
    return m;
  }
  /** Appends a module; returns `this`. */
  append(module: AnyModule): this {
    this.registerModule(String(this._modules.size), module);
    return this;
  }
  [Symbol.iterator](): Iterator<AnyModule> {
    return [...this._modules.values()].filter((m): m is AnyModule => m !== null)[Symbol.iterator]();
  }
}

/**
 * Submodules by name, in insertion order (PyTorch's `nn.ModuleDict`); it has no `forward`.
 *
 * @example
 * ```ts
 * import { ModuleDict, Linear, ReLU } from '@tensorgrad/layers';
 * import '@tensorgrad/backend-cpu';
 * const d = new ModuleDict({ fc: new Linear(2, 2), act: new ReLU() });
 * d.keys(); // ['fc', 'act']
 * d.get('fc') instanceof Linear; // true
 * ```
 */
export class ModuleDict extends Module {
  /**
   * PyTorch's `ModuleDict(modules=None)`: a record (or `[name, module]` pairs); its keys are
   * module names, so a value that is not a module is refused with its key named.
   */
  constructor(modules: Record<string, AnyModule> | Iterable<[string, AnyModule]> = {}, ...extra: []) {
    super();
    if (extra.length) throw new TypeError(`new ModuleDict: takes at most 1 positional argument (modules) but ${1 + (extra as unknown[]).length} were given`);
    if (modules === null || typeof modules !== 'object') throw new TypeError(`ModuleDict: expected an object of modules, got ${modules === null ? 'null' : typeof modules}`);
    const entries = Symbol.iterator in modules ? [...(modules as Iterable<[string, AnyModule]>)] : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }
  /** The module named `key`. */
  get(key: string): AnyModule {
    const m = this._modules.get(key);
    if (!m) throw new RangeError(`ModuleDict.get: no module named '${key}'; keys: ${this.keys().join(', ')}`);
    return m;
  }
  /** Adds or replaces the module named `key`; returns `this`. */
  set(key: string, module: AnyModule): this {
    this.registerModule(key, module);
    return this;
  }
  /** Whether `key` exists. */
  has(key: string): boolean {
    return this._modules.has(key);
  }
  /** The names, in insertion order. */
  keys(): string[] {
    return [...this._modules.keys()];
  }
  /** The modules, in insertion order. */
  values(): AnyModule[] {
    return this.children();
  }
  /** Number of modules. */
  get size(): number {
    return this._modules.size;
  }
}
