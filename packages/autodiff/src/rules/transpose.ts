import type { GradRule } from '../rule.js';

// a swap is its own inverse
export const transpose: GradRule<'transpose'> = {
  save: { inputs: false, outputs: false },
  backward: ({ attrs: { dim0, dim1 } }, g) => [g.transpose(dim0, dim1)],
};
