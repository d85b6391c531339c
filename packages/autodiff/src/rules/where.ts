import { where as select } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// g goes to the branch each element was taken from, then back to each branch's own shape
export const where: GradRule<'where'> = {
  save: { inputs: [0], outputs: false },
  backward: ({ saved: [cond], inputs, needsGrad }, g) => [
    null,
    needsGrad[1] ? sumToShape(select(cond!, g, 0), inputs[1]!.shape) : null,
    needsGrad[2] ? sumToShape(select(cond!, 0, g), inputs[2]!.shape) : null,
  ],
};
