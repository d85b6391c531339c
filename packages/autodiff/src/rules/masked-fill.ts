import type { GradRule } from '../rule.js';

// filled positions no longer depend on the input
export const maskedFill: GradRule<'maskedFill'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ saved: [, mask] }, g) => [g.maskedFill(mask!, 0), null],
};
