import { scatterAdd, zeros } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// index-add of the gradient slices into zeros: broadcast the 1-d index along the other dims
// and scatter-add along dim (repeated indices accumulate)
export const indexSelect: GradRule<'indexSelect'> = {
  save: { inputs: [1], outputs: false },
  backward: ({ inputs, saved, attrs: { dim } }, g) => {
    const index = saved[1]!;
    const shape = g.shape.map((d, i) => (i === dim ? d : 1));
    const idx = index.reshape(shape).expand([...g.shape]);
    return [scatterAdd(zeros([...inputs[0]!.shape], { dtype: g.dtype }), idx, g, { dim }), null];
  },
};
