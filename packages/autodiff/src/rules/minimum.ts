import type { GradRule } from '../rule.js';
import { binaryExtremumBackward } from './maximum.js';

// the gradient goes to the smaller operand, halved for both on ties (PyTorch's rule)
export const minimum: GradRule<'minimum'> = {
  save: { inputs: true, outputs: false },
  backward: (ctx, g) => binaryExtremumBackward(ctx, g, false),
};
