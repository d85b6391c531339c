import { where } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// g where x > 0, else negativeSlope · g (PyTorch's leaky_relu_backward)
export const leakyRelu: GradRule<'leakyRelu'> = {
  backward: ({ saved: [x], attrs: { negativeSlope } }, g) => [where(x!.gt(0), g, g.mul(negativeSlope))],
};
