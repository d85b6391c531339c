import { parseShapeArgs } from '../args.js';
import { assertTensor, record } from '../engine.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link expand}. */
export interface ExpandOptions {
  /** The target size; `-1` keeps a dimension, extra leading dimensions are added. */
  size: readonly number[];
}

/**
 * A broadcast view of `input` with size-1 dimensions repeated (stride 0, no copy) and new leading
 * dimensions; `-1` keeps a dimension's size.
 *
 * @example
 * ```ts
 * import { tensor, expand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1], [2]]);
 * await expand(x, [2, 3]).array(); // [[1, 1, 1], [2, 2, 2]]
 * x.expand(4, -1, 2).shape; // [4, 2, 2]
 * expand(x, { size: [-1, 2] }).shape; // [2, 2]
 * ```
 */
export function expand(input: Tensor, size: readonly number[] | ExpandOptions): Tensor;
export function expand(input: Tensor, ...size: number[]): Tensor;
export function expand(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('expand', input);
  const req = parseShapeArgs('expand', 'size', args);
  const nd = input.ndim;
  if (req.length < nd) {
    throw new RangeError(
      `expand: the number of sizes provided (${req.length}) must be greater or equal to the number of dimensions in the tensor (${nd}); ` +
        `got size ${formatShape(req)} for shape ${formatShape(input.shape)}`,
    );
  }
  const lead = req.length - nd;
  const size = new Array<number>(req.length);
  const strides = new Array<number>(req.length);
  for (let i = 0; i < req.length; i++) {
    const r = req[i]!;
    if (i < lead) {
      if (r < 0) {
        throw new RangeError(`expand: the expanded size ${r} is not allowed in a leading, non-existing dimension ${i}; give an explicit size`);
      }
      size[i] = r;
      strides[i] = 0;
      continue;
    }
    const d = input.shape[i - lead]!;
    if (r === -1 || r === d) {
      size[i] = d;
      strides[i] = input._strides[i - lead]!;
    } else if (d === 1 && r >= 0) {
      size[i] = r;
      strides[i] = 0;
    } else {
      throw new RangeError(
        `expand: the expanded size of the tensor (${r}) must match the existing size (${d}) at non-singleton dimension ${i}; ` +
          `target sizes ${formatShape(req)}, tensor shape ${formatShape(input.shape)}. Only size-1 dimensions can be expanded`,
      );
    }
  }
  const out = input._view(size, strides, input._offset);
  record('expand', [input], { size }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link expand}: `x.expand(2, 3)`, `x.expand([2, -1])`. */
    expand(size: readonly number[] | ExpandOptions): Tensor;
    expand(...size: number[]): Tensor;
  }
}
Tensor.prototype.expand = function (this: Tensor, ...args: unknown[]): Tensor {
  return (expand as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
