import type { GradRule } from '../rule.js';

// the upstream gradient times the saved mask (0 or 1 / (1 - p)), the op's second output
export const dropout: GradRule<'dropout'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [, mask] }, g) => [g.mul(mask!)],
};
