import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

export const mul: GradRule<'mul'> = {
  backward: ({ saved: [a, b], inputs, needsGrad }, g) => [
    needsGrad[0] ? sumToShape(g.mul(b!), inputs[0]!.shape) : null,
    needsGrad[1] ? sumToShape(g.mul(a!), inputs[1]!.shape) : null,
  ],
};
