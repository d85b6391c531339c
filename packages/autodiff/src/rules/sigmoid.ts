import type { GradRule } from '../rule.js';

// g · (1 - y) · y from the saved output (no overflow for large |x|)
export const sigmoid: GradRule<'sigmoid'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y] }, g) => [g.mul(y!.neg().add(1)).mul(y!)],
};
