import type { GradRule } from '../rule.js';

export const sin: GradRule<'sin'> = {
  backward: ({ saved: [x] }, g) => [g.mul(x!.cos())],
};
