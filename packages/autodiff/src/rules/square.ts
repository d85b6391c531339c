import type { GradRule } from '../rule.js';

export const square: GradRule<'square'> = {
  backward: ({ saved: [x] }, g) => [g.mul(x!.mul(2))],
};
