import type { GradRule } from '../rule.js';

// the same elements in another layout: the gradient passes through unchanged
export const contiguous: GradRule<'contiguous'> = {
  save: { inputs: false, outputs: false },
  backward: (_ctx, g) => [g],
};
