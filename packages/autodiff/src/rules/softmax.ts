import type { GradRule } from '../rule.js';

// y (g - Σ g·y): only the output is needed
export const softmax: GradRule<'softmax'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y], attrs: { dim } }, g) => [y!.mul(g.sub(g.mul(y!).sum(dim, true)))],
};
