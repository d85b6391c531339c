import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link transpose}. */
export interface TransposeOptions {
  /** First dimension to swap. */
  dim0: number;
  /** Second dimension to swap. */
  dim1: number;
}

/** `torch.transpose(input, dim0, dim1)`. */
const SIG = signature('transpose', ['dim0', 'dim1'], { required: 2 });

/**
 * A view of `input` with dimensions `dim0` and `dim1` swapped.
 *
 * @example
 * ```ts
 * import { tensor, zeros, transpose } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await transpose(tensor([[1, 2, 3], [4, 5, 6]]), 0, 1).array(); // [[1, 4], [2, 5], [3, 6]]
 * zeros([2, 3, 4]).transpose(-1, -2).shape; // [2, 4, 3]
 * transpose(zeros([2, 3]), { dim0: 0, dim1: 1 }).shape; // [3, 2]
 * ```
 */
export function transpose(input: Tensor, options: TransposeOptions): Tensor;
export function transpose(input: Tensor, dim0: number, dim1: number): Tensor;
export function transpose(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('transpose', input);
  const o = parseArgs(SIG, args) as Partial<TransposeOptions>;
  if (!Number.isInteger(o.dim0) || !Number.isInteger(o.dim1)) {
    throw new TypeError(`transpose: expected two integer dims (transpose(x, 0, 1) or { dim0, dim1 }), got ${JSON.stringify([o.dim0, o.dim1])}`);
  }
  const nd = input.ndim;
  const dim0 = normalizeDim('transpose', o.dim0!, nd);
  const dim1 = normalizeDim('transpose', o.dim1!, nd);
  const shape = [...input.shape];
  const strides = [...input._strides];
  if (nd > 0) {
    [shape[dim0], shape[dim1]] = [shape[dim1]!, shape[dim0]!];
    [strides[dim0], strides[dim1]] = [strides[dim1]!, strides[dim0]!];
  }
  const out = input._view(shape, strides, input._offset);
  record('transpose', [input], { dim0, dim1 }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link transpose}: `x.transpose(0, 1)`. */
    transpose(options: TransposeOptions): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
  }
}
Tensor.prototype.transpose = function (this: Tensor, ...args: unknown[]): Tensor {
  return (transpose as (...a: unknown[]) => Tensor)(this, ...args);
};
