import { conv2d, conv2dWeightGrad, narrow, type Conv2dOptions, type Tensor } from '@tensorgrad/tensor';

/**
 * The gradients of an adjoint convolution `y = conv2dᵀ(x; W)` (`conv2dInputGrad`, and so
 * `convTranspose2d`), which is linear in `x` and in `W`: `dx = conv2d(dy, W)` (cropped to `x`'s
 * size, which output padding can make smaller) and `dW = conv2dWeightGrad(dy, W.shape, x)`.
 * Internal to the two gradient rules.
 */
export function convAdjointGrads(
  x: Tensor | undefined,
  w: Tensor | undefined,
  xShape: readonly number[],
  wShape: readonly number[],
  dy: Tensor,
  options: Conv2dOptions,
  needsGrad: readonly boolean[],
): [Tensor | null, Tensor | null] {
  let dx: Tensor | null = null;
  if (needsGrad[0]) {
    dx = conv2d(dy, w!, null, options);
    if (dx.shape[2]! > xShape[2]!) dx = narrow(dx, 2, 0, xShape[2]!);
    if (dx.shape[3]! > xShape[3]!) dx = narrow(dx, 3, 0, xShape[3]!);
  }
  return [dx, needsGrad[1] ? conv2dWeightGrad(dy, [...wShape], x!, options) : null];
}
