import { parseShapeArgs } from '../args.js';
import { assertTensor, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { formatShape, shapeSize, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Resolves a requested shape (which may hold one `-1`) for a tensor of `numel` elements, with an
 * error naming `op` when it does not fit.
 *
 * @example
 * ```ts
 * import { inferShape } from '@tensorgrad/tensor';
 * inferShape('reshape', 24, [2, -1, 4]); // [2, 3, 4]
 * ```
 */
export function inferShape(op: string, numel: number, shape: readonly number[]): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === -1) {
      if (infer >= 0) throw new RangeError(`${op}: only one dimension can be inferred (-1), got shape ${formatShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: invalid shape dimension ${d} at index ${i} of ${formatShape(shape)}; sizes must be non-negative integers or -1`);
    } else {
      known *= d;
    }
  }
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0) {
      throw new RangeError(
        `${op}: cannot reshape a tensor of ${numel} elements into shape ${formatShape(shape)} because the unspecified dimension -1 can be any value`,
      );
    }
    if (numel % known === 0) {
      out[infer] = numel / known;
      return out;
    }
  } else if (known === numel) {
    return out;
  }
  throw new RangeError(`${op}: shape ${formatShape(shape)} is invalid for input of size ${numel}`);
}

/**
 * Strides that view a tensor of `shape`/`strides` as `newShape` without copying, or `null` when
 * no such strides exist (PyTorch's `computeStride`, used by `view` and `reshape`).
 *
 * @example
 * ```ts
 * import { viewStrides } from '@tensorgrad/tensor';
 * viewStrides([2, 3], [3, 1], [3, 2]); // [2, 1]
 * viewStrides([2, 3], [1, 2], [6]); // null
 * ```
 */
export function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  const n = newShape.length;
  if (shape.length === 0) return new Array<number>(n).fill(1);
  const numel = shapeSize(shape);
  const newStrides = new Array<number>(n);
  if (numel === 0) {
    if (shape.length === n && shape.every((d, i) => d === newShape[i])) return [...strides];
    for (let d = n - 1; d >= 0; d--) newStrides[d] = d === n - 1 ? 1 : Math.max(newShape[d + 1]!, 1) * newStrides[d + 1]!;
    return newStrides;
  }
  // walk both shapes from the right, matching chunks of the old shape that are contiguous in
  // memory ("subspaces") with runs of new dimensions of the same element count
  let viewD = n - 1;
  let chunkBaseStride = strides[strides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let td = shape.length - 1; td >= 0; td--) {
    tensorNumel *= shape[td]!;
    if (td === 0 || (shape[td - 1] !== 1 && strides[td - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (td > 0) {
        chunkBaseStride = strides[td - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

/** Options of {@link reshape}. */
export interface ReshapeOptions {
  /** The new shape; one entry may be `-1` (inferred). */
  shape: readonly number[];
}

/**
 * A view of `input` as `shape` (already resolved) when the strides allow, else a contiguous copy;
 * not recorded on the tape (ops built on reshaping, like `flatten`, record themselves).
 *
 * @example
 * ```ts
 * import { tensor, reshapeUntracked } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * reshapeUntracked('flatten', tensor([[1, 2], [3, 4]]), [4]).shape; // [4]
 * ```
 */
export function reshapeUntracked(op: string, input: Tensor, shape: Shape): Tensor {
  const strides = viewStrides(input.shape, input._strides, shape);
  if (strides) return input._view(shape, strides, input._offset);
  const b = input.backendInstance;
  const r = runKernel(op, 'contiguous', { backend: b, shape: input.shape, dtype: input.dtype }, kernelTensor(input), {});
  return wrapResult(b, { ...r, shape });
}

/**
 * The elements of `input` with a new shape (one entry may be `-1`): a view sharing storage when
 * the strides allow it, otherwise a contiguous copy.
 *
 * @example
 * ```ts
 * import { tensor, reshape } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * await reshape(x, [3, 2]).array(); // [[1, 2], [3, 4], [5, 6]]
 * await x.reshape(-1).array(); // [1, 2, 3, 4, 5, 6]
 * reshape(x, { shape: [1, -1] }).shape; // [1, 6]
 * ```
 */
export function reshape(input: Tensor, shape: readonly number[] | ReshapeOptions): Tensor;
export function reshape(input: Tensor, ...shape: number[]): Tensor;
export function reshape(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('reshape', input);
  const shape = inferShape('reshape', input.numel(), parseShapeArgs('reshape', 'shape', args));
  const out = reshapeUntracked('reshape', input, shape);
  record('reshape', [input], { shape }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link reshape}: `x.reshape(2, -1)`, `x.reshape([2, -1])`. */
    reshape(shape: readonly number[] | ReshapeOptions): Tensor;
    reshape(...shape: number[]): Tensor;
  }
}
Tensor.prototype.reshape = function (this: Tensor, ...args: unknown[]): Tensor {
  return (reshape as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
