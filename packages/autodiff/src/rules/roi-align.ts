import { roiAlignBackward } from '@tensorgrad/tensor/backend';
import type { GradRule } from '../rule.js';

// the adjoint scatters each bin's gradient over its bilinear samples (torchvision's
// _roi_align_backward); the RoIs get none, as in torchvision
export const roiAlign: GradRule<'roiAlign'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ saved: [, rois], inputs, attrs }, g) => [
    roiAlignBackward(g, rois!, { ...attrs, inputShape: [...inputs[0]!.shape] }),
    null,
  ],
};
