import type { GradRule } from '../rule.js';

// reshaping only relabels elements: the gradient takes the input's shape back
export const reshape: GradRule<'reshape'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs }, g) => [g.reshape([...inputs[0]!.shape])],
};
