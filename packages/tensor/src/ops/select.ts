import { parseArgs, signature } from '../signature.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link select}. */
export interface SelectOptions {
  /** The dimension to index (removed from the result). */
  dim: number;
  /** The position along `dim` (negative counts from the end). */
  index: number;
}

/** `torch.select(input, dim, index)`. */
const SIG = signature('select', ['dim', 'index'], { required: 2 });

/**
 * A view of `input` at position `index` along `dim`, with that dimension removed (`x[:, 2]` in
 * Python is `x.select(1, 2)`).
 *
 * @example
 * ```ts
 * import { tensor, select } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * await select(x, 1, 2).array(); // [3, 6]
 * await x.select(0, -1).array(); // [4, 5, 6]
 * await select(x, { dim: 0, index: 0 }).array(); // [1, 2, 3]
 * ```
 */
export function select(input: Tensor, options: SelectOptions): Tensor;
export function select(input: Tensor, dim: number, index: number): Tensor;
export function select(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('select', input);
  const o = parseArgs(SIG, args) as Partial<SelectOptions>;
  if (!Number.isInteger(o.dim) || !Number.isInteger(o.index)) {
    throw new TypeError(`select: expected integer dim and index (select(x, dim, index) or { dim, index }), got ${JSON.stringify([o.dim, o.index])}`);
  }
  const nd = input.ndim;
  if (nd === 0) throw new RangeError('select: cannot be applied to a 0-d tensor; it has no dimension to index');
  const dim = normalizeDim('select', o.dim!, nd);
  const size = input.shape[dim]!;
  const raw = o.index!;
  if (raw < -size || raw >= size) {
    throw new RangeError(`select: index ${raw} is out of bounds for dimension ${dim} with size ${size}; expected an index in [${-size}, ${size - 1}]`);
  }
  const index = raw < 0 ? raw + size : raw;
  const shape = input.shape.filter((_, i) => i !== dim);
  const strides = input._strides.filter((_, i) => i !== dim);
  const out = input._view(shape, strides, input._offset + index * input._strides[dim]!);
  record('select', [input], { dim, index }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link select}: `x.select(1, 2)`. */
    select(options: SelectOptions): Tensor;
    select(dim: number, index: number): Tensor;
  }
}
Tensor.prototype.select = function (this: Tensor, ...args: unknown[]): Tensor {
  return (select as (...a: unknown[]) => Tensor)(this, ...args);
};
