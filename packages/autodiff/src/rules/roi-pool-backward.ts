import { where, zeros, type Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// roiPoolBackward adds grad[k, c, i, j] at argmax[k, c, i, j] of image rois[k, 0]: linear in grad,
// so its adjoint gathers the upstream gradient there (0 where argmax is -1)
export const roiPoolBackward: GradRule<'roiPoolBackward'> = {
  save: { inputs: [1, 2], outputs: false },
  backward: ({ saved: [, rois, argmax], attrs: { inputShape } }, g) => {
    const [, c, h, w] = inputShape;
    const [k, , ph, pw] = argmax!.shape as [number, number, number, number];
    if (k === 0 || c === 0) return [zeros([k, c, ph, pw], { dtype: g.dtype, backend: g.backend }), null, null];
    const batch = rois!.select(1, 0).to('int32');
    const planes: Tensor = g.reshape([inputShape[0], c, h * w]).indexSelect(0, batch);
    const idx = argmax!.reshape([k, c, ph * pw]);
    const found = idx.ge(0);
    const picked = planes.gather(2, idx.clamp({ min: 0 }));
    return [where(found, picked, 0).reshape([k, c, ph, pw]), null, null];
  },
};
