import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// every copy of a broadcast element contributes its gradient
export const expand: GradRule<'expand'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs }, g) => [sumToShape(g, inputs[0]!.shape)],
};
