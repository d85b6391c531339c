import { convAdjointGrads } from '../conv-adjoint.js';
import type { GradRule } from '../rule.js';

// linear in both arguments: d/dg = conv2d(dy, W) (cropped to g's size), d/dW = conv2dWeightGrad(dy, W.shape, g)
export const conv2dInputGrad: GradRule<'conv2dInputGrad'> = {
  save: { inputs: true, outputs: false },
  backward: ({ saved: [gOut, w], inputs, attrs: { stride, padding, dilation, groups }, needsGrad }, dy) =>
    convAdjointGrads(gOut, w, inputs[0]!.shape, inputs[1]!.shape, dy, { stride, padding, dilation, groups }, needsGrad),
};
