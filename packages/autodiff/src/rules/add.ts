import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// d(a + b) = g for both operands, summed over broadcast dims (alpha is applied by the front-end)
export const add: GradRule<'add'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, needsGrad }, g) => [
    needsGrad[0] ? sumToShape(g, inputs[0]!.shape) : null,
    needsGrad[1] ? sumToShape(g, inputs[1]!.shape) : null,
  ],
};
