import { sum } from '@tensorgrad/tensor';
import { convAdjointGrads } from '../conv-adjoint.js';
import type { GradRule } from '../rule.js';

// convTranspose2d(x, W) is the adjoint of conv2d(·, W): dx = conv2d(g, W) (cropped to x's size
// when outputPadding ≥ stride), dW = conv2dWeightGrad(g, W.shape, x), db = Σ g over N, H, W
export const convTranspose2d: GradRule<'convTranspose2d'> = {
  save: { inputs: [0, 1], outputs: false },
  backward: ({ saved: [x, w], inputs, attrs: { stride, padding, dilation, groups }, needsGrad }, g) => [
    ...convAdjointGrads(x, w, inputs[0]!.shape, inputs[1]!.shape, g, { stride, padding, dilation, groups }, needsGrad),
    needsGrad[2] ? sum(g, { dim: [0, 2, 3] }) : null,
  ],
};
