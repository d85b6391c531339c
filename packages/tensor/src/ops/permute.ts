import { parseShapeArgs } from '../args.js';
import { assertTensor, record } from '../engine.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link permute}. */
export interface PermuteOptions {
  /** The new order of the dimensions (negative values count from the end). */
  dims: readonly number[];
}

/**
 * A view of `input` with its dimensions reordered: output dimension `i` is input dimension
 * `dims[i]`.
 *
 * @example
 * ```ts
 * import { zeros, tensor, permute } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape; // [4, 2, 3]
 * await tensor([[1, 2], [3, 4]]).permute(1, 0).array(); // [[1, 3], [2, 4]]
 * permute(zeros([2, 3]), { dims: [-1, 0] }).shape; // [3, 2]
 * ```
 */
export function permute(input: Tensor, dims: readonly number[] | PermuteOptions): Tensor;
export function permute(input: Tensor, ...dims: number[]): Tensor;
export function permute(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('permute', input);
  const req = parseShapeArgs('permute', 'dims', args);
  const nd = input.ndim;
  if (req.length !== nd) {
    throw new RangeError(
      `permute: number of dims don't match: the tensor has ${nd} dimensions but dims ${JSON.stringify(req)} has ${req.length} entries; ` +
        'give one entry per dimension',
    );
  }
  const dims = req.map((d) => normalizeDim('permute', d, nd));
  if (new Set(dims).size !== dims.length) throw new RangeError(`permute: dims ${JSON.stringify(req)} repeat a dimension; give each dimension once`);
  const out = input._view(
    dims.map((d) => input.shape[d]!),
    dims.map((d) => input._strides[d]!),
    input._offset,
  );
  record('permute', [input], { dims }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link permute}: `x.permute(2, 0, 1)`, `x.permute([2, 0, 1])`. */
    permute(dims: readonly number[] | PermuteOptions): Tensor;
    permute(...dims: number[]): Tensor;
  }
}
Tensor.prototype.permute = function (this: Tensor, ...args: unknown[]): Tensor {
  return (permute as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
