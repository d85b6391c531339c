import { parseShapeArgs } from '../args.js';
import { assertTensor, record } from '../engine.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { inferShape, viewStrides } from './reshape.js';

/** Options of {@link view}. */
export interface ViewOptions {
  /** The new shape; one entry may be `-1` (inferred). */
  shape: readonly number[];
}

/**
 * A view of `input` with a new shape (one entry may be `-1`), always sharing storage; throws when
 * the strides make that impossible (use {@link reshape}, which copies then).
 *
 * @example
 * ```ts
 * import { tensor, view } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2, 3, 4, 5, 6]);
 * await view(x, [2, 3]).array(); // [[1, 2, 3], [4, 5, 6]]
 * x.view(-1, 2).shape; // [3, 2]
 * ```
 */
export function view(input: Tensor, shape: readonly number[] | ViewOptions): Tensor;
export function view(input: Tensor, ...shape: number[]): Tensor;
export function view(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('view', input);
  const shape = inferShape('view', input.numel(), parseShapeArgs('view', 'shape', args));
  const strides = viewStrides(input.shape, input._strides, shape);
  if (!strides) {
    throw new Error(
      `view: size is not compatible with input tensor's size and stride (shape ${formatShape(input.shape)}, ` +
        `strides ${formatShape(input._strides)}, requested ${formatShape(shape)}): at least one dimension spans across ` +
        'two contiguous subspaces; use .reshape(...) instead',
    );
  }
  const out = input._view(shape, strides, input._offset);
  record('view', [input], { shape }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link view}: `x.view(-1, 784)`, `x.view([2, 3])`. */
    view(shape: readonly number[] | ViewOptions): Tensor;
    view(...shape: number[]): Tensor;
  }
}
Tensor.prototype.view = function (this: Tensor, ...args: unknown[]): Tensor {
  return (view as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
