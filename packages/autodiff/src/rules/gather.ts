import { scatterAdd, zeros } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// every gathered position receives its gradient; repeated indices accumulate
export const gather: GradRule<'gather'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ inputs, saved, attrs: { dim } }, g) => [
    scatterAdd(zeros([...inputs[0]!.shape], { dtype: g.dtype }), saved[1]!, g, { dim }),
    null,
  ],
};
