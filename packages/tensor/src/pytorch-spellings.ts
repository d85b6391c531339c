// PyTorch spellings of tensor methods that are thin layers over existing ops, so that book code
// ports line by line: `t.T`, `t.mT`, `t.t()`, `clamp_min`/`clamp_max` (+ in place), `tolist()`,
// `dim()`, `nelement()`, `view_as`, `expand_as`, `reshape_as`, `type_as`, `long()`, `cpu()`.
// Each one records the op it is made of (permute, transpose, clamp, view, …), so gradients flow.
import { assertTensor } from './engine.js';
import { NotSupportedError } from './not-supported.js';
import { Tensor, type NestedArray } from './tensor.js';
import { clamp } from './ops/clamp.js';
import { parseArgs, signature } from './signature.js';
import { assignResult } from './inplace/copy_.js';
import './ops/permute.js';
import './ops/transpose.js';
import './ops/view.js';
import './ops/reshape.js';
import './ops/expand.js';
import './ops/to.js';

const CLAMP_MIN = signature('clampMin', ['min'], { required: 1 });
const CLAMP_MAX = signature('clampMax', ['max'], { required: 1 });

function checkBound(op: string, name: string, v: unknown): number {
  const value = typeof v === 'object' && v !== null && !(v instanceof Tensor) ? (v as Record<string, unknown>)[name] : v;
  if (typeof value !== 'number') {
    const given = v instanceof Tensor ? 'a Tensor (tensor bounds are not supported; pass a number)' : value === undefined ? 'nothing' : typeof value === 'object' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
    throw new TypeError(`${op}: expected ${name} to be a number, e.g. ${op}(x, 0) or ${op}(x, { ${name}: 0 }), got ${given}`);
  }
  return value;
}

/**
 * Clamps every element to at least `min` (PyTorch's `clamp_min`, `clamp(input, min=min)`).
 *
 * @example
 * ```ts
 * import { tensor, clampMin } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await clampMin(tensor([-2, 0.5, 3]), 0).array(); // [0, 0.5, 3]
 * await tensor([-2, 0.5, 3]).clampMin({ min: 1 }).array(); // [1, 1, 3]
 * ```
 */
export function clampMin(input: Tensor, min: number | { min: number }): Tensor;
export function clampMin(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('clampMin', input);
  return clamp(input, { min: checkBound('clampMin', 'min', parseArgs(CLAMP_MIN, args).min) });
}

/**
 * Clamps every element to at most `max` (PyTorch's `clamp_max`, `clamp(input, max=max)`).
 *
 * @example
 * ```ts
 * import { tensor, clampMax } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await clampMax(tensor([-2, 0.5, 3]), 1).array(); // [-2, 0.5, 1]
 * ```
 */
export function clampMax(input: Tensor, max: number | { max: number }): Tensor;
export function clampMax(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('clampMax', input);
  return clamp(input, { max: checkBound('clampMax', 'max', parseArgs(CLAMP_MAX, args).max) });
}

function checkOther(op: string, other: unknown): Tensor {
  if (!(other instanceof Tensor)) {
    throw new TypeError(`${op}: expected other to be a Tensor whose shape (or dtype) to take, got ${other === null ? 'null' : typeof other}; e.g. x.${op}(y)`);
  }
  other._check(op);
  return other;
}

declare module './tensor.js' {
  interface Tensor {
    /**
     * The tensor with all its dimensions reversed (PyTorch's `x.T`): the transpose of a matrix,
     * the tensor itself (a view) for 0-D and 1-D tensors, and `permute(n-1, …, 0)` for more
     * dimensions (as PyTorch 1.13, which deprecates that use; for batches of matrices use
     * {@link Tensor.mT}). A view: no copy.
     *
     * @example
     * ```ts
     * import { tensor, zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * await tensor([[1, 2, 3], [4, 5, 6]]).T.array(); // [[1, 4], [2, 5], [3, 6]]
     * zeros([2, 3, 4]).T.shape; // [4, 3, 2]
     * ```
     */
    readonly T: Tensor;
    /**
     * The transpose of the last two dimensions (PyTorch's `x.mT`): a batch of matrices stays a
     * batch of transposed matrices. Needs at least 2 dimensions. A view: no copy.
     *
     * @example
     * ```ts
     * import { zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * zeros([5, 2, 3]).mT.shape; // [5, 3, 2]
     * ```
     */
    readonly mT: Tensor;
    /**
     * The transpose of a matrix (PyTorch's `x.t()`); 0-D and 1-D tensors come back unchanged (as
     * a view). Tensors with more than 2 dimensions are an error: use `x.mT` or `x.transpose(a, b)`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * await tensor([[1, 2], [3, 4]]).t().array(); // [[1, 3], [2, 4]]
     * tensor([1, 2, 3]).t().shape; // [3]
     * ```
     */
    t(): Tensor;
    /** Method form of {@link clampMin}: `x.clampMin(0)` (PyTorch's `x.clamp_min(0)`). */
    clampMin(min: number | { min: number }): Tensor;
    /** Method form of {@link clampMax}: `x.clampMax(1)` (PyTorch's `x.clamp_max(1)`). */
    clampMax(max: number | { max: number }): Tensor;
    /**
     * Clamps every element to at least `min`, in place (PyTorch's `clamp_min_`); returns `this`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([-1, 2]);
     * x.clampMin_(0);
     * await x.array(); // [0, 2]
     * ```
     */
    clampMin_(min: number | { min: number }): this;
    /**
     * Clamps every element to at most `max`, in place (PyTorch's `clamp_max_`); returns `this`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = tensor([-1, 2]);
     * x.clampMax_(1);
     * await x.array(); // [-1, 1]
     * ```
     */
    clampMax_(max: number | { max: number }): this;
    /**
     * The elements as nested JavaScript arrays, synchronously (PyTorch's `tolist()`; the same as
     * {@link Tensor.arraySync}); a number or boolean for a 0-D tensor. Only on backends that can
     * read synchronously (`cpu`, `tfjs`); elsewhere (`webgpu`) use `await x.array()`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * tensor([[1, 2], [3, 4]]).tolist(); // [[1, 2], [3, 4]]
     * tensor(7).tolist(); // 7
     * ```
     */
    tolist(): NestedArray;
    /**
     * The number of dimensions (PyTorch's `dim()`; the same as {@link Tensor.ndim}).
     *
     * @example
     * ```ts
     * import { zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * zeros([2, 3]).dim(); // 2
     * ```
     */
    dim(): number;
    /**
     * The number of elements (PyTorch's `nelement()`; the same as {@link Tensor.numel}).
     *
     * @example
     * ```ts
     * import { zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * zeros([2, 3]).nelement(); // 6
     * ```
     */
    nelement(): number;
    /**
     * `x.view(other.shape)` (PyTorch's `view_as`): a view with the shape of `other`.
     *
     * @example
     * ```ts
     * import { arange, zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * arange(6).viewAs(zeros([2, 3])).shape; // [2, 3]
     * ```
     */
    viewAs(other: Tensor): Tensor;
    /**
     * `x.reshape(other.shape)` (PyTorch's `reshape_as`).
     *
     * @example
     * ```ts
     * import { arange, zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * arange(6).reshapeAs(zeros([3, 2])).shape; // [3, 2]
     * ```
     */
    reshapeAs(other: Tensor): Tensor;
    /**
     * `x.expand(other.shape)` (PyTorch's `expand_as`): a broadcast view with the shape of `other`.
     *
     * @example
     * ```ts
     * import { tensor, zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * await tensor([[1], [2]]).expandAs(zeros([2, 3])).array(); // [[1, 1, 1], [2, 2, 2]]
     * ```
     */
    expandAs(other: Tensor): Tensor;
    /**
     * `x.to(other.dtype)` (PyTorch's `type_as`): a tensor converted to the dtype of `other`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * tensor([1, 2], { dtype: 'int32' }).typeAs(tensor([0.5])).dtype; // 'float32'
     * ```
     */
    typeAs(other: Tensor): Tensor;
    /**
     * `x.to('int32')`: PyTorch's `long()`, for porting code such as `labels.long()`. tensorgrad has
     * no int64; int32 is its integer and index dtype (class targets, `gather` indices, …), so
     * values outside ±2³¹ do not fit. Floats are truncated toward zero, as in PyTorch.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const y = tensor([1.9, -1.9, 3]).long();
     * y.dtype; // 'int32'
     * await y.array(); // [1, -1, 3]
     * ```
     */
    long(): Tensor;
    /**
     * `x.to('cpu')` (PyTorch's `cpu()`): the tensor on the `cpu` backend (a new view when it is
     * already there). Needs `@tensorgrad/backend-cpu` (the `tensorgrad` umbrella registers it);
     * from a backend that can only read asynchronously use `await x.toAsync('cpu')`.
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * tensor([1, 2]).cpu().backend; // 'cpu'
     * ```
     */
    cpu(): Tensor;
  }
}

Object.defineProperty(Tensor.prototype, 'T', {
  configurable: true,
  enumerable: false,
  get(this: Tensor): Tensor {
    assertTensor('T', this);
    const n = this.ndim;
    return this.permute(Array.from({ length: n }, (_, i) => n - 1 - i));
  },
});

Object.defineProperty(Tensor.prototype, 'mT', {
  configurable: true,
  enumerable: false,
  get(this: Tensor): Tensor {
    assertTensor('mT', this);
    if (this.ndim < 2) {
      throw new RangeError(
        `mT: tensor.mT is only supported on matrices or batches of matrices (2 or more dimensions), got a ${this.ndim}-D tensor of shape [${this.shape.join(', ')}]; ` +
          'for a 1-D tensor the transpose is the tensor itself (x.t() or x.T)',
      );
    }
    return this.transpose(-2, -1);
  },
});

Tensor.prototype.t = function (this: Tensor): Tensor {
  assertTensor('t', this);
  if (this.ndim > 2) {
    throw new RangeError(
      `t: expects a tensor with <= 2 dimensions, but the tensor is ${this.ndim}-D (shape [${this.shape.join(', ')}]); ` +
        'use x.mT to transpose the last two dimensions, x.transpose(dim0, dim1) for two others, or x.T to reverse them all',
    );
  }
  return this.ndim === 2 ? this.transpose(0, 1) : this.permute(Array.from({ length: this.ndim }, (_, i) => i));
};

Tensor.prototype.clampMin = function (this: Tensor, min: number | { min: number }): Tensor {
  return clampMin(this, min);
};
Tensor.prototype.clampMax = function (this: Tensor, max: number | { max: number }): Tensor {
  return clampMax(this, max);
};
Tensor.prototype.clampMin_ = function <S extends Tensor>(this: S, min: number | { min: number }): S {
  const m = checkBound('clampMin_', 'min', min);
  return assignResult('clampMin_', this, () => clamp(this, { min: m })) as S;
};
Tensor.prototype.clampMax_ = function <S extends Tensor>(this: S, max: number | { max: number }): S {
  const m = checkBound('clampMax_', 'max', max);
  return assignResult('clampMax_', this, () => clamp(this, { max: m })) as S;
};

Tensor.prototype.tolist = function (this: Tensor): NestedArray {
  this._check('tolist');
  if (typeof this.backendInstance.readSync !== 'function') {
    throw new NotSupportedError(
      'tolist',
      this.backend,
      'sync-read',
      `tolist: backend '${this.backend}' cannot read synchronously; use \`await x.array()\` (the asynchronous tolist()) instead`,
    );
  }
  return this.arraySync();
};

Tensor.prototype.dim = function (this: Tensor): number {
  return this.ndim;
};
Tensor.prototype.nelement = function (this: Tensor): number {
  return this.numel();
};
Tensor.prototype.viewAs = function (this: Tensor, other: Tensor): Tensor {
  return this.view([...checkOther('viewAs', other).shape]);
};
Tensor.prototype.reshapeAs = function (this: Tensor, other: Tensor): Tensor {
  return this.reshape([...checkOther('reshapeAs', other).shape]);
};
Tensor.prototype.expandAs = function (this: Tensor, other: Tensor): Tensor {
  return this.expand([...checkOther('expandAs', other).shape]);
};
Tensor.prototype.typeAs = function (this: Tensor, other: Tensor): Tensor {
  return this.to(checkOther('typeAs', other).dtype);
};
Tensor.prototype.long = function (this: Tensor): Tensor {
  return this.to('int32');
};
Tensor.prototype.cpu = function (this: Tensor): Tensor {
  return this.to('cpu');
};
