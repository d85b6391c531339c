import { conv2d, conv2dWeightGrad, narrow, sum, type Conv2dOptions, type Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// convTranspose2d(x, W) is the adjoint of conv2d(·, W): dx = conv2d(g, W) (cropped to x's size
// when outputPadding ≥ stride), dW = conv2dWeightGrad(g, W.shape, x), db = Σ g over N, H, W
export const convTranspose2d: GradRule<'convTranspose2d'> = {
  save: { inputs: [0, 1], outputs: false },
  backward: ({ saved: [x, w], inputs, attrs: { stride, padding, dilation, groups }, needsGrad }, g) => {
    const opts: Conv2dOptions = { stride, padding, dilation, groups };
    const xs = inputs[0]!.shape;
    let dx: Tensor | null = null;
    if (needsGrad[0]) {
      dx = conv2d(g, w!, null, opts);
      if (dx.shape[2]! > xs[2]!) dx = narrow(dx, 2, 0, xs[2]!);
      if (dx.shape[3]! > xs[3]!) dx = narrow(dx, 3, 0, xs[3]!);
    }
    return [
      dx,
      needsGrad[1] ? conv2dWeightGrad(g, [...inputs[1]!.shape], x!, opts) : null,
      needsGrad[2] ? sum(g, { dim: [0, 2, 3] }) : null,
    ];
  },
};
