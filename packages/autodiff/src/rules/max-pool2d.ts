import { scatterAdd, zeros } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// each output gradient goes to its window's argmax (saved int32 plane indices); overlapping
// windows accumulate
export const maxPool2d: GradRule<'maxPool2d'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [, indices], inputs }, g) => {
    const [n, c, h, w] = inputs[0]!.shape as [number, number, number, number];
    // explicit plane sizes: a -1 cannot be inferred for an empty batch (N = 0 or C = 0)
    const plane = g.shape[2]! * g.shape[3]!;
    const flatG = g.reshape([n, c, plane]);
    const flatI = indices!.reshape([n, c, plane]);
    return [scatterAdd(zeros([n, c, h * w], { dtype: g.dtype }), flatI, flatG, { dim: 2 }).reshape([n, c, h, w])];
  },
};
