import type { GradRule } from '../rule.js';

// PyTorch's sign(x) · g: the subgradient 0 at x = 0
export const abs: GradRule<'abs'> = {
  backward: ({ saved: [x] }, g) => [g.mul(x!.sign())],
};
