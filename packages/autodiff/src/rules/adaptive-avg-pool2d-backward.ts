import { adaptiveAvgPool2d } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// the adjoint of the adjoint is the pooling itself, to the gradient's spatial size
export const adaptiveAvgPool2dBackward: GradRule<'adaptiveAvgPool2dBackward'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs }, g) => [adaptiveAvgPool2d(g, [inputs[0]!.shape[2]!, inputs[0]!.shape[3]!])],
};
