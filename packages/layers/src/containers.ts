import type { Tensor } from '@tensorgrad/tensor';
import { Module, type AnyModule } from './module.js';

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
  constructor(...modules: AnyModule[]) {
    super();
    modules.forEach((m, i) => this.registerModule(String(i), m));
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
  constructor(modules: Iterable<AnyModule> = []) {
    super();
    for (const m of modules) this.append(m);
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
  constructor(modules: Record<string, AnyModule> | Iterable<[string, AnyModule]> = {}) {
    super();
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
