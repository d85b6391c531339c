import type { GradRule } from '../rule.js';

// g - exp(y) Σ g, with y the saved log-probabilities
export const logSoftmax: GradRule<'logSoftmax'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y], attrs: { dim } }, g) => [g.sub(y!.exp().mul(g.sum(dim, true)))],
};
