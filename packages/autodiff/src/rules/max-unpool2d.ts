import { gather } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// each input value was written at its index of the output plane: its gradient is read back there
export const maxUnpool2d: GradRule<'maxUnpool2d'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ saved: [, indices], inputs }, g) => {
    const [n, c, h, w] = inputs[0]!.shape as [number, number, number, number];
    const flatI = indices!.reshape([n, c, h * w]);
    // an explicit plane size: a -1 cannot be inferred for an empty batch (N = 0 or C = 0)
    return [gather(g.reshape([n, c, g.shape[2]! * g.shape[3]!]), flatI, { dim: 2 }).reshape([n, c, h, w]), null];
  },
};
