import { isOptionsObject, parseArgs, signature } from '../signature.js';
import { findBackend, findBackendSync, type Backend } from '../backend.js';
import { isDType, type DType, type TypedArray } from '../dtype.js';
import { assertTensor, fromArray, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { Tensor } from '../tensor.js';
import { NotSupportedError } from '../not-supported.js';

/** Options of {@link to}: a dtype, a backend name, or both. */
export interface ToOptions {
  /** The target dtype. */
  dtype?: DType;
  /** The target backend's name (`'cpu'`, `'webgpu'`, …). */
  backend?: string;
}

/** `Tensor.to(device | dtype | {dtype, device}, …)`, with tensorgrad's `backend` for PyTorch's `device`. */
const TO_UNSUPPORTED: Readonly<Record<string, string>> = {
  nonBlocking: 'transfers are synchronous with to() and asynchronous with toAsync(); omit it',
  copy: 'to() returns a new tensor (a view when nothing changes); use clone() for a copy',
  memoryFormat: 'tensors have one (row-major) memory format; omit it',
};

function parseTarget(op: string, target: unknown, rest: readonly unknown[]): ToOptions {
  if (rest.length > 0) parseArgs(signature(op, [], { unsupported: TO_UNSUPPORTED }), rest);
  if (typeof target === 'string') return isDType(target) ? { dtype: target } : { backend: target };
  if (isOptionsObject(target)) {
    const o = parseArgs(signature(op, ['dtype', 'backend'], { keywordOnly: ['dtype', 'backend'], unsupported: TO_UNSUPPORTED }), [target]) as ToOptions;
    if (o.dtype !== undefined && !isDType(o.dtype)) {
      throw new TypeError(`${op}: unknown dtype ${String(o.dtype)}; expected one of float32, float64, int32, bool`);
    }
    if (o.backend !== undefined && typeof o.backend !== 'string') {
      throw new TypeError(`${op}: expected backend to be a backend name such as 'cpu', got ${typeof o.backend}`);
    }
    return o;
  }
  throw new TypeError(
    `${op}: expected a dtype ('float32', 'float64', 'int32', 'bool'), a backend name ('cpu', 'webgpu', …) or { dtype, backend }, got ${String(target)}`,
  );
}

// a no-op conversion returns a new view (not `input` itself) so that disposing the result never
// frees the input
function convert(input: Tensor, dtype: DType): Tensor {
  if (input.dtype === dtype) {
    const out = input._view(input.shape, input._strides, input._offset);
    record('to', [input], { dtype }, [out]);
    return out;
  }
  const b = input.backendInstance;
  if (!b.dtypes.includes(dtype)) {
    throw new NotSupportedError('to', b.name, 'dtype', `to: backend '${b.name}' does not support dtype ${dtype} (it supports ${b.dtypes.join(', ')})`);
  }
  const out = wrapResult(b, runKernel('to', 'to', { backend: b, shape: input.shape, dtype }, kernelTensor(input), { dtype }));
  record('to', [input], { dtype }, [out]);
  return out;
}

function place(input: Tensor, target: Backend, data: TypedArray): Tensor {
  if (!target.dtypes.includes(input.dtype)) {
    throw new NotSupportedError(
      'to',
      target.name,
      'dtype',
      `to: backend '${target.name}' does not support dtype ${input.dtype} (it supports ${target.dtypes.join(', ')}); ` +
        `convert first, e.g. .to({ dtype: 'float32', backend: '${target.name}' })`,
    );
  }
  const out = fromArray(target, data, input.shape, input.dtype);
  record('to', [input], { dtype: input.dtype }, [out]);
  return out;
}

// converting on the source backend first keeps dtypes the target cannot store (float64 on a GPU)
// from ever reaching it
function runSync(input: Tensor, dtype: DType, target: Backend | null, move: (x: Tensor) => Tensor): Tensor {
  if (!target || target === input.backendInstance) return convert(input, dtype);
  if (dtype === input.dtype) return move(input);
  if (input.backendInstance.dtypes.includes(dtype)) {
    const c = convert(input, dtype);
    try {
      return move(c);
    } finally {
      c.dispose();
    }
  }
  const m = move(input);
  try {
    return convert(m, dtype);
  } finally {
    m.dispose();
  }
}

async function runAsync(input: Tensor, dtype: DType, target: Backend | null, move: (x: Tensor) => Promise<Tensor>): Promise<Tensor> {
  if (!target || target === input.backendInstance) return convert(input, dtype);
  if (dtype === input.dtype) return move(input);
  if (input.backendInstance.dtypes.includes(dtype)) {
    const c = convert(input, dtype);
    try {
      return await move(c);
    } finally {
      c.dispose();
    }
  }
  const m = await move(input);
  try {
    return convert(m, dtype);
  } finally {
    m.dispose();
  }
}

/**
 * Converts `input` to another dtype and/or moves it to another backend: `to(x, 'float64')`,
 * `to(x, 'cpu')`, `to(x, { dtype, backend })`. Always returns a new tensor (a view sharing
 * storage when nothing changes, so disposing it never frees `input`). Float → int truncates
 * toward zero; → bool is `!= 0`. Recorded for autodiff (the gradient is converted back). Moving
 * between backends reads the data synchronously; from a backend that cannot (WebGPU) use
 * {@link toAsync}.
 *
 * @example
 * ```ts
 * import { tensor, to } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await to(tensor([1.7, -1.7]), 'int32').array(); // [1, -1]
 * tensor([1, 2]).to({ dtype: 'float64', backend: 'cpu' }).dtype; // 'float64'
 * ```
 */
export function to(input: Tensor, target: DType | string | ToOptions): Tensor;
export function to(input: Tensor, target: DType | string | ToOptions, ...rest: unknown[]): Tensor {
  assertTensor('to', input);
  const opts = parseTarget('to', target, rest);
  const backend = opts.backend === undefined ? null : findBackendSync(opts.backend);
  const move = (x: Tensor): Tensor => {
    if (!x.backendInstance.readSync) {
      throw new NotSupportedError(
        'to',
        x.backend,
        'sync-read',
        `to: backend '${x.backend}' cannot read synchronously, so the tensor cannot be moved to '${backend!.name}' with to(); use \`await toAsync(x, '${backend!.name}')\``,
      );
    }
    return place(x, backend!, x.dataSync());
  };
  return runSync(input, opts.dtype ?? input.dtype, backend, move);
}

/**
 * The asynchronous {@link to}: works between any two backends (reading GPU data back
 * asynchronously) and initialises an asynchronous target backend if needed.
 *
 * @example
 * ```ts
 * import { tensor, toAsync } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const y = await toAsync(tensor([1, 2]), 'cpu');
 * y.backend; // 'cpu'
 * ```
 */
export async function toAsync(input: Tensor, target: DType | string | ToOptions): Promise<Tensor>;
export async function toAsync(input: Tensor, target: DType | string | ToOptions, ...rest: unknown[]): Promise<Tensor> {
  assertTensor('toAsync', input);
  const opts = parseTarget('toAsync', target, rest);
  const backend = opts.backend === undefined ? null : await findBackend(opts.backend);
  const move = async (x: Tensor): Promise<Tensor> => place(x, backend!, await x.data());
  return runAsync(input, opts.dtype ?? input.dtype, backend, move);
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link to}: `x.to('float64')`, `x.to('cpu')`, `x.to({ dtype, backend })`. */
    to(target: DType | string | ToOptions): Tensor;
    /** Method form of {@link toAsync}. */
    toAsync(target: DType | string | ToOptions): Promise<Tensor>;
    /**
     * Converts to float32 (`x.to('float32')`).
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * tensor([true, false]).float().dtype; // 'float32'
     * ```
     */
    float(): Tensor;
    /**
     * Converts to float64 (`x.to('float64')`).
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * tensor([1]).double().dtype; // 'float64'
     * ```
     */
    double(): Tensor;
    /**
     * Converts to int32, truncating toward zero (`x.to('int32')`).
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * await tensor([2.9, -2.9]).int().array(); // [2, -2]
     * ```
     */
    int(): Tensor;
    /**
     * Converts to bool (`x != 0`).
     *
     * @example
     * ```ts
     * import { tensor } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * await tensor([0, 0.5]).bool().array(); // [false, true]
     * ```
     */
    bool(): Tensor;
  }
}
Tensor.prototype.to = function (this: Tensor, target: DType | string | ToOptions, ...rest: unknown[]): Tensor {
  return (to as (...a: unknown[]) => Tensor)(this, target, ...rest);
};
Tensor.prototype.toAsync = function (this: Tensor, target: DType | string | ToOptions, ...rest: unknown[]): Promise<Tensor> {
  return (toAsync as (...a: unknown[]) => Promise<Tensor>)(this, target, ...rest);
};
Tensor.prototype.float = function (this: Tensor): Tensor {
  return to(this, 'float32');
};
Tensor.prototype.double = function (this: Tensor): Tensor {
  return to(this, 'float64');
};
Tensor.prototype.int = function (this: Tensor): Tensor {
  return to(this, 'int32');
};
Tensor.prototype.bool = function (this: Tensor): Tensor {
  return to(this, 'bool');
};
