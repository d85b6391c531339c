import type { GradRule } from '../rule.js';

// d exp(x) = exp(x) g: reuse the saved output instead of recomputing
export const exp: GradRule<'exp'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y] }, g) => [g.mul(y!)],
};
