import type { GradRule } from '../rule.js';

export const neg: GradRule<'neg'> = {
  save: { inputs: false, outputs: false },
  backward: (_ctx, g) => [g.neg()],
};
