import { roiAlign } from '@tensorgrad/tensor/backend';
import type { GradRule } from '../rule.js';

// roiAlignBackward is linear in its gradient input and is roiAlign's adjoint, so its own
// adjoint is roiAlign with the same sample points
export const roiAlignBackward: GradRule<'roiAlignBackward'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ saved: [, rois], attrs: { pooledHeight, pooledWidth, spatialScale, samplingRatio, aligned } }, g) => [
    roiAlign(g, rois!, { pooledHeight, pooledWidth, spatialScale, samplingRatio, aligned }),
    null,
  ],
};
