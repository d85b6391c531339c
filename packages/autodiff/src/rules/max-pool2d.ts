import { scatterAdd, zeros } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// each output gradient goes to its window's argmax (saved int32 plane indices); overlapping
// windows accumulate
export const maxPool2d: GradRule<'maxPool2d'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [, indices], inputs }, g) => {
    const [n, c, h, w] = inputs[0]!.shape as [number, number, number, number];
    const flatG = g.reshape([n, c, -1]);
    const flatI = indices!.reshape([n, c, -1]);
    return [scatterAdd(zeros([n, c, h * w], { dtype: g.dtype }), flatI, flatG, { dim: 2 }).reshape([n, c, h, w])];
  },
};
