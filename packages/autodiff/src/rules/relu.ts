import { where } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// g where the output is positive, else 0 (PyTorch's threshold_backward: 0 at x = 0; selecting
// rather than multiplying keeps an infinite g out of the zeroed positions)
export const relu: GradRule<'relu'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y] }, g) => [where(y!.gt(0), g, 0)],
};
