import type { GradRule } from '../rule.js';

export const log: GradRule<'log'> = {
  backward: ({ saved: [x] }, g) => [g.div(x!)],
};
