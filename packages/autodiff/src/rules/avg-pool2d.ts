import { avgPool2dBackward } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// the adjoint spreads each gradient over its window
export const avgPool2d: GradRule<'avgPool2d'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs }, g) => [avgPool2dBackward(g, [...inputs[0]!.shape], attrs)],
};
