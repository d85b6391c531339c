import type { GradRule } from '../rule.js';

// a copy: the gradient passes through unchanged
export const clone: GradRule<'clone'> = {
  save: { inputs: false, outputs: false },
  backward: (_ctx, g) => [g],
};
