import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// PyTorch's formulas: d/da = g / b, d/db = -g · (a / b) / b
export const div: GradRule<'div'> = {
  backward: ({ saved: [a, b], inputs, needsGrad }, g) => [
    needsGrad[0] ? sumToShape(g.div(b!), inputs[0]!.shape) : null,
    needsGrad[1] ? sumToShape(g.neg().mul(a!.div(b!).div(b!)), inputs[1]!.shape) : null,
  ],
};
