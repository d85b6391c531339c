import { conv2dInputGrad, conv2dWeightGrad, sum } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// dx = conv2dInputGrad (col2im of Wᵀ·g), dW = conv2dWeightGrad (g·im2col(x)ᵀ), db = Σ g over N, H, W
export const conv2d: GradRule<'conv2d'> = {
  save: { inputs: [0, 1], outputs: false },
  backward: ({ saved: [x, w], inputs, attrs, needsGrad }, g) => [
    needsGrad[0] ? conv2dInputGrad([...inputs[0]!.shape], w!, g, attrs) : null,
    needsGrad[1] ? conv2dWeightGrad(x!, [...inputs[1]!.shape], g, attrs) : null,
    needsGrad[2] ? sum(g, { dim: [0, 2, 3] }) : null,
  ],
};
