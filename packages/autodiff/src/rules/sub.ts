import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// d(a - b) = (g, -g), summed over broadcast dims (alpha is applied by the front-end)
export const sub: GradRule<'sub'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, needsGrad }, g) => [
    needsGrad[0] ? sumToShape(g, inputs[0]!.shape) : null,
    needsGrad[1] ? sumToShape(g.neg(), inputs[1]!.shape) : null,
  ],
};
