import { sum, reshape, shapesEqual, type Shape, type Tensor } from '@tensorgrad/tensor';

/**
 * Reduces a gradient of the broadcast shape back to an input's `shape` (summing broadcast dims),
 * the standard step of every broadcasting op's rule.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { sumToShape } from '@tensorgrad/autodiff';
 * await sumToShape(tensor([[1, 2], [3, 4]]), [1, 2]).array(); // [[4, 6]]
 * ```
 */
export function sumToShape(grad: Tensor, shape: Shape): Tensor {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < grad.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) dims.push(i);
  }
  const s = dims.length ? sum(grad, { dim: dims, keepdim: true }) : grad;
  return reshape(s, [...shape]);
}
