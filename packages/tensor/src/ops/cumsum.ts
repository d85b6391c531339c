import { parseArgs, signature } from '../signature.js';
import { assertTensor, castUntracked, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { isFloating, type DType } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import './to.js';

/** Options of {@link cumsum}. */
export interface CumsumOptions {
  /** The dim to sum along (required; negative counts from the end). */
  dim?: number;
  /**
   * The dtype of the result; the input is converted to it first (PyTorch's `dtype`). Default: the
   * input's dtype, except that bool and int32 inputs sum in int32 (PyTorch sums them in int64).
   */
  dtype?: DType;
}

/** `torch.cumsum(input, dim, *, dtype=None)`. */
const SIG = signature('cumsum', ['dim', 'dtype'], { required: 1, keywordOnly: ['dtype'] });

/**
 * PyTorch's `torch.cumsum`: the running sums of `input` along `dim` (`out[i] = x[0] + … + x[i]`).
 * Bool and int32 inputs sum in int32 (wrapping on overflow, where PyTorch would use int64);
 * `dtype` converts the input first. Differentiable (the gradient is the reversed running sum).
 *
 * @example
 * ```ts
 * import { tensor, cumsum } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * await cumsum(x, 1).array(); // [[1, 3, 6], [4, 9, 15]]
 * await x.cumsum(0).array(); // [[1, 2, 3], [5, 7, 9]]
 * cumsum(tensor([true, true]), { dim: 0 }).dtype; // 'int32'
 * cumsum(x, 0, { dtype: 'float64' }).dtype; // 'float64'
 * ```
 */
export function cumsum(input: Tensor, dim: number, options?: Omit<CumsumOptions, 'dim'>): Tensor;
export function cumsum(input: Tensor, options: CumsumOptions & { dim: number }): Tensor;
export function cumsum(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('cumsum', input);
  const o = parseArgs(SIG, args);
  const dimArg = o.dim;
  if (typeof dimArg !== 'number' || !Number.isInteger(dimArg)) {
    throw new TypeError(
      `cumsum: expected dim to be an integer (cumsum(x, dim) or cumsum(x, { dim })), got ${Array.isArray(dimArg) ? JSON.stringify(dimArg) : String(dimArg)}`,
    );
  }
  const dim = normalizeDim('cumsum', dimArg, input.ndim);
  const requested = o.dtype;
  if (requested !== undefined && requested !== 'float32' && requested !== 'float64' && requested !== 'int32') {
    throw new TypeError(`cumsum: expected dtype to be 'float32', 'float64' or 'int32', got ${JSON.stringify(requested)}`);
  }
  const dtype: DType = requested ?? (isFloating(input.dtype) ? input.dtype : 'int32');
  // a float → float conversion stays on the tape, so the gradient reaches the input
  const src = isFloating(dtype) && isFloating(input.dtype) && dtype !== input.dtype ? input.to(dtype) : castUntracked('cumsum', input, dtype);
  try {
    const backend = src.backendInstance;
    const out = wrapResult(backend, runKernel('cumsum', 'cumsum', { backend, shape: src.shape, dtype }, kernelTensor(src), { dim }));
    record('cumsum', [src], { dim }, [out]);
    return out;
  } finally {
    if (src !== input) src.dispose();
  }
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link cumsum}: `x.cumsum(0)`, `x.cumsum(0, { dtype: 'float64' })`, `x.cumsum({ dim: 0 })`. */
    cumsum(dim: number, options?: Omit<CumsumOptions, 'dim'>): Tensor;
    cumsum(options: CumsumOptions & { dim: number }): Tensor;
  }
}
Tensor.prototype.cumsum = function (this: Tensor, ...args: unknown[]): Tensor {
  return (cumsum as (...a: unknown[]) => Tensor)(this, ...args);
};
