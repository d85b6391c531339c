import type { GradRule } from '../rule.js';

export const cos: GradRule<'cos'> = {
  backward: ({ saved: [x] }, g) => [g.mul(x!.sin().neg())],
};
