import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link narrow}. */
export interface NarrowOptions {
  /** The dimension to narrow. */
  dim: number;
  /** First position kept (negative counts from the end). */
  start: number;
  /** Number of positions kept. */
  length: number;
}

/** `torch.narrow(input, dim, start, length)`. */
const SIG = signature('narrow', ['dim', 'start', 'length'], { required: 3 });

/**
 * A view of `input` keeping `length` positions from `start` along `dim`
 * (`x[:, start:start+length]`).
 *
 * @example
 * ```ts
 * import { tensor, narrow } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * await narrow(x, 1, 1, 2).array(); // [[2, 3], [5, 6]]
 * await x.narrow(0, -1, 1).array(); // [[4, 5, 6]]
 * await narrow(x, { dim: 1, start: 0, length: 1 }).array(); // [[1], [4]]
 * ```
 */
export function narrow(input: Tensor, options: NarrowOptions): Tensor;
export function narrow(input: Tensor, dim: number, start: number, length: number): Tensor;
export function narrow(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('narrow', input);
  const o = parseArgs(SIG, args) as Partial<NarrowOptions>;
  if (!Number.isInteger(o.dim) || !Number.isInteger(o.start) || !Number.isInteger(o.length)) {
    throw new TypeError(
      `narrow: expected integer dim, start and length (narrow(x, dim, start, length) or { dim, start, length }), got ${JSON.stringify([o.dim, o.start, o.length])}`,
    );
  }
  const nd = input.ndim;
  if (nd === 0) throw new RangeError('narrow: cannot be applied to a 0-d tensor; it has no dimension to narrow');
  const dim = normalizeDim('narrow', o.dim!, nd);
  const size = input.shape[dim]!;
  let start = o.start!;
  const length = o.length!;
  if (start < -size || start > size) {
    throw new RangeError(`narrow: start ${start} is out of range for dimension ${dim} with size ${size}; expected start in [${-size}, ${size}]`);
  }
  if (start < 0) start += size;
  if (length < 0 || start + length > size) {
    throw new RangeError(
      `narrow: start (${start}) + length (${length}) exceeds dimension ${dim} with size ${size}; expected 0 <= length <= ${size - start}`,
    );
  }
  const shape = [...input.shape];
  shape[dim] = length;
  const out = input._view(shape, input._strides, input._offset + start * input._strides[dim]!);
  record('narrow', [input], { dim, start, length }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link narrow}: `x.narrow(1, 0, 2)`. */
    narrow(options: NarrowOptions): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
  }
}
Tensor.prototype.narrow = function (this: Tensor, ...args: unknown[]): Tensor {
  return (narrow as (...a: unknown[]) => Tensor)(this, ...args);
};
