import type { GradRule } from '../rule.js';

// g / (2 sqrt(x)), reusing the saved output as PyTorch does
export const sqrt: GradRule<'sqrt'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y] }, g) => [g.div(y!.mul(2))],
};
