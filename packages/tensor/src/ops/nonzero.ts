import { parseArgs, signature } from '../signature.js';
import type { Backend } from '../backend.js';
import { assertTensor, castUntracked, kernelTensor, runKernel, wrapResult } from '../engine.js';
import { noGrad } from '../autograd-core.js';
import { NotSupportedError } from '../not-supported.js';
import { Tensor } from '../tensor.js';
import './sum.js';

/** Options of {@link nonzeroStatic}. */
export interface NonzeroStaticOptions {
  /** The number of rows of the result: the first `size` non-zero elements (fewer are padded). */
  size: number;
  /** The value of the padding rows (default -1). */
  fillValue?: number;
}

const NONZERO_STATIC = signature('nonzeroStatic', ['size', 'fillValue'], { required: 1 });
const NO_OPTIONS = (op: string) => signature(op, []);

/**
 * The coordinates of the first `size` non-zero elements of `input`, row-major, as an int32
 * `[size, ndim]` tensor; rows past the number of non-zero elements hold `fillValue` (PyTorch's
 * `nonzero_static`). Its shape does not depend on the data, so it never reads anything back and
 * runs on every backend, WebGPU included. NaN counts as non-zero, `-0` does not.
 *
 * @example
 * ```ts
 * import { tensor, nonzeroStatic } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[0, 3], [5, 0]]);
 * await nonzeroStatic(x, { size: 3 }).array(); // [[0, 1], [1, 0], [-1, -1]]
 * await x.nonzeroStatic({ size: 1 }).array(); // [[0, 1]]
 * ```
 */
export function nonzeroStatic(input: Tensor, options: NonzeroStaticOptions): Tensor;
export function nonzeroStatic(input: Tensor, size: number, fillValue?: number): Tensor;
export function nonzeroStatic(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('nonzeroStatic', input);
  const o = parseArgs(NONZERO_STATIC, args);
  const size = o.size as number;
  const fillValue = (o.fillValue as number | undefined) ?? -1;
  if (!Number.isInteger(size) || size < 0) {
    throw new TypeError(`nonzeroStatic: expected options.size to be a non-negative integer, got ${String(size)}; pass { size: n }`);
  }
  if (!Number.isInteger(fillValue) || Math.abs(fillValue) > 2 ** 31 - 1) {
    throw new TypeError(`nonzeroStatic: expected fillValue to be an int32 integer, got ${String(fillValue)}`);
  }
  const backend = input.backendInstance;
  const attrs = { size, fillValue };
  return wrapResult(backend, runKernel('nonzeroStatic', 'nonzero', { backend, shape: [size, input.ndim], dtype: 'int32' }, kernelTensor(input), attrs));
}

/**
 * The number of non-zero elements of `input` as an int32 0-d tensor, without reading it back
 * (a `to('bool')` and a `sum`).
 * @internal
 */
export function countNonzeroTensor(input: Tensor): Tensor {
  return noGrad(() => {
    const b = castUntracked('nonzero', input, 'bool');
    try {
      return b.sum();
    } finally {
      if (b !== input) b.dispose();
    }
  });
}

/**
 * Reads the number of non-zero elements synchronously, or throws a `NotSupportedError`
 * (`'sync-read'`) naming `asyncForm` on backends that can only read asynchronously.
 * @internal
 */
export function countNonzeroSync(op: string, input: Tensor, asyncForm: string): number {
  const backend: Backend = input.backendInstance;
  if (!backend.readSync) {
    throw new NotSupportedError(
      op,
      backend.name,
      'sync-read',
      `${op}: the size of the result depends on the data, and backend '${backend.name}' cannot read the count synchronously; ` +
        `use the asynchronous form \`${asyncForm}\` (or ${op === 'nonzero' ? 'nonzeroStatic(x, { size })' : 'a fixed-size op'} when the size is known)`,
    );
  }
  const c = countNonzeroTensor(input);
  try {
    return c.itemSync() as number;
  } finally {
    c.dispose();
  }
}

/** Reads the number of non-zero elements asynchronously. @internal */
export async function countNonzeroAsync(input: Tensor): Promise<number> {
  const c = countNonzeroTensor(input);
  try {
    return (await c.item()) as number;
  } finally {
    c.dispose();
  }
}

/**
 * PyTorch's `torch.nonzero(x)`: the coordinates of the non-zero (for bool: true) elements, in
 * row-major order, as an int32 `[K, ndim]` tensor. `K` depends on the data, so it is read back
 * synchronously: on a backend that can only read asynchronously (WebGPU) this throws a
 * `NotSupportedError` of kind `'sync-read'`; use `await nonzeroAsync(x)` there (or
 * {@link nonzeroStatic} when the size is known).
 *
 * @example
 * ```ts
 * import { tensor, nonzero } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await nonzero(tensor([[0, 3], [5, 0]])).array(); // [[0, 1], [1, 0]]
 * await tensor([true, false, true]).nonzero().array(); // [[0], [2]]
 * ```
 */
export function nonzero(input: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(NO_OPTIONS('nonzero'), rest);
  assertTensor('nonzero', input);
  const k = countNonzeroSync('nonzero', input, 'await nonzeroAsync(x)');
  return nonzeroStatic(input, { size: k });
}

/**
 * {@link nonzero} on every backend: reads the count asynchronously (the only read), then computes
 * the coordinates on the backend.
 *
 * @example
 * ```ts
 * import { tensor, nonzeroAsync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await (await nonzeroAsync(tensor([0, 2, 0, 4]))).array(); // [[1], [3]]
 * await (await tensor([0, 2]).nonzeroAsync()).array(); // [[1]]
 * ```
 */
export async function nonzeroAsync(input: Tensor, ...rest: unknown[]): Promise<Tensor> {
  parseArgs(NO_OPTIONS('nonzeroAsync'), rest);
  assertTensor('nonzeroAsync', input);
  const k = await countNonzeroAsync(input);
  return nonzeroStatic(input, { size: k });
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link nonzero}. */
    nonzero(): Tensor;
    /** Method form of {@link nonzeroAsync}. */
    nonzeroAsync(): Promise<Tensor>;
    /** Method form of {@link nonzeroStatic}. */
    nonzeroStatic(options: NonzeroStaticOptions): Tensor;
  }
}
Tensor.prototype.nonzero = function (this: Tensor): Tensor {
  return nonzero(this);
};
Tensor.prototype.nonzeroAsync = function (this: Tensor): Promise<Tensor> {
  return nonzeroAsync(this);
};
Tensor.prototype.nonzeroStatic = function (this: Tensor, options: NonzeroStaticOptions): Tensor {
  return nonzeroStatic(this, options);
};
