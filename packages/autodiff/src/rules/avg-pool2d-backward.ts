import { avgPool2d } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// the adjoint of the adjoint is the pooling itself
export const avgPool2dBackward: GradRule<'avgPool2dBackward'> = {
  save: { inputs: false, outputs: false },
  backward: ({ attrs: { inputSize: _, ...attrs } }, g) => [avgPool2d(g, attrs)],
};
