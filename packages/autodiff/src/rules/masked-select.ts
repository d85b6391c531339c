import { broadcastShapes, scatterAdd, shapeSize, zeros } from '@tensorgrad/tensor';
import { maskPositions } from '@tensorgrad/tensor/backend';
import { sumToShape } from '../helpers.js';
import type { GradRule } from '../rule.js';

// the gradient of the K selected elements goes back to the mask's true positions (found again
// with K known, so nothing is read back); positions broadcast over add up
export const maskedSelect: GradRule<'maskedSelect'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ inputs, saved: [, mask] }, g) => {
    const xShape = inputs[0]!.shape;
    const shape = broadcastShapes('maskedSelect', xShape, mask!.shape);
    const n = shapeSize(shape);
    const pos = maskPositions(mask!, shape, g.shape[0]!);
    const flat = scatterAdd(zeros([n], { dtype: g.dtype, backend: g.backend }), pos, g, { dim: 0 });
    return [sumToShape(flat.reshape(shape), xShape), null];
  },
};
