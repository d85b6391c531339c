import { roiPoolBackward } from '@tensorgrad/tensor/backend';
import type { GradRule } from '../rule.js';

// each bin's gradient goes to its argmax (saved int32 plane indices; -1 = none), in the RoI's image
export const roiPool: GradRule<'roiPool'> = {
  save: { inputs: [1], outputs: true },
  backward: ({ saved: [, rois], outputs: [, argmax], inputs }, g) => [roiPoolBackward(g, rois!, argmax!, { inputShape: [...inputs[0]!.shape] }), null],
};
