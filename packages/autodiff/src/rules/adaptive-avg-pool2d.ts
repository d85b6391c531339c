import { adaptiveAvgPool2dBackward } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// the adjoint spreads each gradient over its window
export const adaptiveAvgPool2d: GradRule<'adaptiveAvgPool2d'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs }, g) => [adaptiveAvgPool2dBackward(g, [...inputs[0]!.shape])],
};
