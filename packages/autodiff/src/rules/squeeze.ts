import type { GradRule } from '../rule.js';

// a view with the same elements in the same order: the gradient takes the input's shape back
export const squeeze: GradRule<'squeeze'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs }, g) => [g.reshape([...inputs[0]!.shape])],
};
