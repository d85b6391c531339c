import type { Backend } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { isFloating } from './dtype.js';
import { autogradHooks, type BackwardOptions, type GradNode, type HookHandle, type TensorHook } from './autograd-core.js';
import { contiguousStrides, formatShape, isContiguousLayout, shapeSize, type Shape } from './shape.js';
import { disposalHint, keep, trackTensor, untrackTensor } from './scope.js';
import { Storage } from './storage.js';
import { formatTensor } from './format.js';
import { NotSupportedError } from './not-supported.js';

let nextHookId = 0;

/** Nested JavaScript arrays of numbers or booleans, as returned by `array()`. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a backend, with PyTorch's semantics: ops never modify their inputs,
 * views (`view`, `permute`, `transpose`, `expand`, `select`, `narrow`, …) share storage, and
 * operations on tensors with `requiresGrad` are recorded for `backward()` when
 * `@tensorgrad/autodiff` is imported.
 *
 * Create tensors with `tensor()`, `zeros()`, `randn()`, …; free them with `dispose()`,
 * `using`, or `tidy()`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * await x.sum().item(); // 10
 * ```
 */
export class Tensor {
  /** @internal */ readonly _isTensor = true;
  /** The size of each dimension (`[]` for a 0-d scalar). */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  /** @internal */ readonly _storage: Storage;
  /** @internal */ readonly _strides: readonly number[];
  /** @internal */ readonly _offset: number;
  /** @internal */ _disposed = false;
  /** @internal */ _grad: Tensor | null = null;
  /** @internal Gradient hooks of a leaf (a non-leaf keeps them on its `gradFn`). */
  _hooks: Map<number, TensorHook> | null = null;
  /** Whether gradients are computed for this tensor by `backward()`. */
  requiresGrad = false;
  /** The tape node that produced this tensor (`null` for leaves and untracked results). */
  gradFn: GradNode | null = null;

  /** @internal Use `tensor()`, `zeros()`, … to create tensors. */
  constructor(storage: Storage, shape: Shape, strides: readonly number[], offset: number, internal = false) {
    this._storage = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = storage.dtype;
    this._strides = strides;
    this._offset = offset;
    trackTensor(this, storage.backend, internal);
  }

  /** @internal A tensor over fresh contiguous storage (takes ownership of `storage`). */
  static _fromStorage(storage: Storage, shape: Shape, internal = false): Tensor {
    return new Tensor(storage, shape, contiguousStrides(shape), 0, internal);
  }

  /** @internal A view sharing this tensor's storage. */
  _view(shape: Shape, strides: readonly number[], offset: number, internal = false): Tensor {
    return new Tensor(this._storage.retain(), shape, strides, offset, internal);
  }

  /** @internal A detached alias that shares storage and is owned by the caller (not tracked by `tidy`). */
  _alias(): Tensor {
    return this._view(this.shape, this._strides, this._offset, true);
  }

  /** The backend instance holding this tensor's storage. */
  get backendInstance(): Backend {
    return this._storage.backend;
  }

  /** The name of the backend holding this tensor (`'cpu'`, `'webgpu'`, …). */
  get backend(): string {
    return this._storage.backend.name;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Whether `dispose()` was called. */
  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Whether this tensor is a leaf of the autodiff graph (it was not produced by a recorded op). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /**
   * The gradient accumulated by `backward()` (owned by this tensor: disposed with it, never by `tidy`).
   */
  get grad(): Tensor | null {
    return this._grad;
  }
  set grad(g: Tensor | null) {
    if (g === this._grad) return;
    if (g !== null) {
      g._check('grad');
      if (g.dtype !== this.dtype || formatShape(g.shape) !== formatShape(this.shape)) {
        throw new TypeError(
          `grad: assigned gradient has shape ${formatShape(g.shape)} and dtype ${g.dtype}, expected shape ${formatShape(this.shape)} and dtype ${this.dtype}`,
        );
      }
      keep(g);
    }
    this._grad?.dispose();
    this._grad = g;
  }

  /**
   * The shape (PyTorch's `size()`), or the size of dimension `dim`.
   *
   * @example
   * ```ts
   * import { zeros } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * zeros([2, 3]).size(); // [2, 3]
   * zeros([2, 3]).size(-1); // 3
   * ```
   */
  size(): Shape;
  size(dim: number): number;
  size(dim?: number): Shape | number {
    if (dim === undefined) return this.shape;
    const n = this.shape.length;
    if (!Number.isInteger(dim) || dim < -n || dim >= n) {
      throw new RangeError(`size: dimension out of range: expected an integer in [${-n}, ${n - 1}], got ${dim}`);
    }
    return this.shape[dim < 0 ? dim + n : dim]!;
  }

  /** The number of elements. */
  numel(): number {
    return shapeSize(this.shape);
  }

  /** Element strides of each dimension (PyTorch's `stride()`). */
  stride(): readonly number[] {
    return this._strides;
  }

  /** Offset of the first element in the storage. */
  storageOffset(): number {
    return this._offset;
  }

  /** Whether the elements are laid out contiguously in row-major order. */
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this._strides);
  }

  /** @internal Throws when the tensor was disposed. */
  _check(op: string): void {
    if (this._disposed) {
      throw new Error(
        `${op}: tensor was disposed (shape ${formatShape(this.shape)}, ${this.dtype}); it cannot be used after dispose(). ` +
          'Keep it alive (e.g. return it from tidy() or call keep()) until you are done with it' +
          disposalHint(this),
      );
    }
  }

  /** @internal Contiguous storage for this tensor's elements, plus where they start. */
  private _contiguousStorage(op: string): { storage: Storage; start: number; owned: boolean } {
    this._check(op);
    if (this.isContiguous()) return { storage: this._storage, start: this._offset, owned: false };
    const backend = this._storage.backend;
    const kernel = backend.kernels.contiguous;
    if (!kernel) throw new Error(`${op}: backend '${this.backend}' has no 'contiguous' kernel to read a strided view`);
    const r = kernel(
      { backend, shape: this.shape, dtype: this.dtype },
      { handle: this._storage.handle, shape: this.shape, strides: this._strides, offset: this._offset, dtype: this.dtype },
      {},
    );
    return { storage: new Storage(this._storage.backend, r.handle, r.dtype, this.numel()), start: 0, owned: true };
  }

  private _extract(op: string, read: (s: Storage) => TypedArray): TypedArray {
    const { storage, start, owned } = this._contiguousStorage(op);
    try {
      const all = read(storage);
      const n = this.numel();
      return start === 0 && all.length === n ? all : all.slice(start, start + n);
    } finally {
      if (owned) storage.release();
    }
  }

  /**
   * Reads the elements (row-major) into a new typed array: `Float32Array`, `Float64Array`,
   * `Int32Array`, or `Uint8Array` (0/1) for `bool`.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * await tensor([[1, 2], [3, 4]]).transpose(0, 1).data(); // Float32Array [1, 3, 2, 4]
   * ```
   */
  async data(): Promise<TypedArray> {
    const { storage, start, owned } = this._contiguousStorage('data');
    try {
      const all = await storage.backend.read(storage.handle);
      const n = this.numel();
      return start === 0 && all.length === n ? all : all.slice(start, start + n);
    } finally {
      if (owned) storage.release();
    }
  }

  /**
   * Synchronous {@link Tensor.data}, on backends that can read synchronously (`cpu`, `tfjs`).
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * tensor([1, 2]).dataSync(); // Float32Array [1, 2]
   * ```
   */
  dataSync(): TypedArray {
    return this._extract('dataSync', (s) => {
      const readSync = s.backend.readSync;
      if (!readSync) {
        throw new NotSupportedError(
          'dataSync',
          this.backend,
          'sync-read',
          `dataSync: backend '${this.backend}' cannot read synchronously; use \`await tensor.data()\` (or array()/item()) instead`,
        );
      }
      return readSync.call(s.backend, s.handle);
    });
  }

  private _nest(flat: TypedArray): NestedArray {
    const bool = this.dtype === 'bool';
    const shape = this.shape;
    let i = 0;
    const build = (d: number): NestedArray => {
      if (d === shape.length) {
        const v = flat[i++]!;
        return bool ? v !== 0 : v;
      }
      const out: NestedArray[] = [];
      for (let k = 0; k < shape[d]!; k++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /**
   * The elements as nested JavaScript arrays (a number or boolean for a 0-d tensor).
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * await tensor([[1, 2], [3, 4]]).array(); // [[1, 2], [3, 4]]
   * ```
   */
  async array(): Promise<NestedArray> {
    return this._nest(await this.data());
  }

  /**
   * Synchronous {@link Tensor.array}.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * tensor([true, false]).arraySync(); // [true, false]
   * ```
   */
  arraySync(): NestedArray {
    return this._nest(this.dataSync());
  }

  private _checkItem(op: string): void {
    this._check(op);
    if (this.numel() !== 1) {
      throw new RangeError(
        `${op}: a tensor with ${this.numel()} elements (shape ${formatShape(this.shape)}) cannot be converted to a scalar; expected exactly one element. ` +
          `Reduce it first (t.sum().${op}(), t.mean().${op}()), pick one element (t.flatten().select(0, i).${op}()), ` +
          `or read every element with ${op === 'item' ? 'await t.array()' : 't.arraySync()'}`,
      );
    }
  }

  /**
   * The value of a one-element tensor.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * await tensor([[3.5]]).item(); // 3.5
   * ```
   */
  async item(): Promise<number | boolean> {
    this._checkItem('item');
    const v = (await this.data())[0]!;
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /**
   * Synchronous {@link Tensor.item}.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * tensor(2).itemSync(); // 2
   * ```
   */
  itemSync(): number | boolean {
    this._checkItem('itemSync');
    const v = this.dataSync()[0]!;
    return this.dtype === 'bool' ? v !== 0 : v;
  }

  /**
   * Frees this tensor's reference to its storage (the storage is freed with its last view) and
   * its gradient. Idempotent.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const t = tensor([1, 2]);
   * t.dispose();
   * t.isDisposed; // true
   * ```
   */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    untrackTensor(this, this._storage.backend);
    this._storage.release();
    const g = this._grad;
    this._grad = null;
    g?.dispose();
    const node = this.gradFn;
    if (node) node.decRef();
  }

  /** `using t = tensor(…)` disposes `t` at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * Sets `requiresGrad` in place (PyTorch's `requires_grad_()`); only floating-point leaves can
   * require gradients. Returns `this`.
   *
   * @example
   * ```ts
   * import { zeros } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const w = zeros([3]).requiresGrad_();
   * w.requiresGrad; // true
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    this._check('requiresGrad_');
    if (requiresGrad && !isFloating(this.dtype)) {
      throw new TypeError(
        `requiresGrad_: only floating-point tensors can require gradients, got a ${this.dtype} tensor; convert it with .float() first`,
      );
    }
    if (!requiresGrad && !this.isLeaf) {
      throw new Error('requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use .detach() to get a tensor without history');
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Makes `backward()` store this non-leaf tensor's gradient in its `.grad` (PyTorch's
   * `retain_grad()`; by default only leaves get one). Accumulates over several backward calls like
   * a leaf's. A no-op on a leaf. Returns `this`.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import '@tensorgrad/autodiff';
   * const x = tensor([1, 2, 3], { requiresGrad: true });
   * const y = x.mul(2).retainGrad();
   * y.retainsGrad; // true
   * y.pow(2).sum().backward();
   * await y.grad!.array(); // [4, 8, 12]
   * ```
   */
  retainGrad(): this {
    this._check('retainGrad');
    if (!this.requiresGrad) {
      throw new Error("retainGrad: can't retain the gradient of a tensor that does not require grad; compute it from tensors with { requiresGrad: true } (outside noGrad())");
    }
    if (this.gradFn) this.gradFn.retainedBy = this;
    return this;
  }

  /** Whether `backward()` stores this non-leaf tensor's gradient in `.grad` ({@link Tensor.retainGrad} was called); false for leaves, as in PyTorch. */
  get retainsGrad(): boolean {
    return this.gradFn !== null && this.gradFn.retainedBy === this;
  }

  /**
   * Registers `hook(grad)`, called during every backward pass with this tensor's gradient
   * (PyTorch's `register_hook`): returning a tensor of the same shape replaces the gradient
   * (for what flows further and what is accumulated into `.grad`), returning nothing keeps it.
   * Hooks run in registration order, before a leaf's gradient is accumulated. Returns a handle
   * whose `remove()` unregisters the hook.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import '@tensorgrad/autodiff';
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.mul(3);
   * const seen: number[][] = [];
   * const handle = y.registerHook((g) => { seen.push([...g.dataSync()]); return g.mul(10); });
   * y.sum().backward();
   * seen; // [[1, 1]]
   * await x.grad!.array(); // [30, 30]
   * handle.remove();
   * ```
   */
  registerHook(hook: TensorHook): HookHandle {
    this._check('registerHook');
    if (typeof hook !== 'function') throw new TypeError(`registerHook: expected a function (grad) => Tensor | undefined, got ${hook === null ? 'null' : typeof hook}`);
    if (!this.requiresGrad) {
      throw new Error("registerHook: can't register a hook on a tensor that does not require grad; create it with { requiresGrad: true } or compute it from such tensors");
    }
    const hooks = this.gradFn ? (this.gradFn.tensorHooks ??= new Map()) : (this._hooks ??= new Map());
    const id = nextHookId++;
    hooks.set(id, hook);
    return { remove: () => void hooks.delete(id) };
  }

  /**
   * Computes the gradient of this tensor with respect to the graph leaves and accumulates it into
   * their `.grad`. A non-scalar tensor needs `gradient` (same shape). Requires
   * `@tensorgrad/autodiff` to be imported.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * import '@tensorgrad/autodiff';
   * const x = tensor([1, 2, 3], { requiresGrad: true });
   * x.pow(2).sum().backward();
   * await x.grad!.array(); // [2, 4, 6]
   * ```
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    this._check('backward');
    const hooks = autogradHooks();
    if (!hooks) {
      throw new Error("backward: autodiff is not loaded; add `import '@tensorgrad/autodiff'` (the `tensorgrad` package loads it)");
    }
    hooks.backward(this, gradient, options);
  }

  /**
   * A tensor sharing storage with this one but detached from the autodiff graph.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * const w = tensor([1, 2], { requiresGrad: true });
   * w.detach().requiresGrad; // false
   * ```
   */
  detach(): Tensor {
    this._check('detach');
    return this._view(this.shape, this._strides, this._offset);
  }

  /**
   * Prints like PyTorch: `tensor([[1., 2.], [3., 4.]])`, with `dtype=` for non-default dtypes and
   * `requires_grad=True` / `grad_fn=<…>` when applicable.
   *
   * @example
   * ```ts
   * import { tensor } from '@tensorgrad/tensor';
   * import '@tensorgrad/backend-cpu';
   * String(tensor([1.5, 2])); // 'tensor([1.5000, 2.0000])'
   * ```
   */
  toString(): string {
    if (this._disposed) return `tensor(<disposed>, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    const suffix: string[] = [];
    if (this.backend !== 'cpu') suffix.push(`device='${this.backend}'`);
    if (this.gradFn) suffix.push(`grad_fn=<${this.gradFn.displayName}>`);
    else if (this.requiresGrad) suffix.push('requires_grad=True');
    if (!this._storage.backend.readSync) {
      return `tensor(<on ${this.backend}: use await t.data() to read>, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    }
    return formatTensor(this.dataSync(), this.shape, this.dtype, suffix);
  }

  /** Node's `util.inspect` and `console.log` print like `toString()`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
