import { scatterAdd, zeros, type Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// the forward gathers along each spatial dim in turn (index-select, and for the linear modes a
// weighted sum of two gathers); the outputs after y are per spatial dim [i0] (nearest) or
// [i0, i1, w0, w1]. The adjoint scatter-adds the (weighted) gradient back, last dim first.
export const interpolate: GradRule<'interpolate'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs, inputs, attrs: { mode } }, g) => {
    const inShape = inputs[0]!.shape;
    const k = inShape.length - 2;
    const per = mode === 'nearest' ? 1 : 4;
    const saved = outputs.slice(1) as Tensor[];
    let grad = g;
    for (let i = k - 1; i >= 0; i--) {
      const dim = i + 2;
      const target = grad.shape.map((d, j) => (j === dim ? inShape[dim]! : d));
      const [i0, i1, w0, w1] = saved.slice(i * per, i * per + per);
      const idx = (t: Tensor): Tensor => t.reshape(grad.shape.map((d, j) => (j === dim ? d : 1))).expand([...grad.shape]);
      const base = zeros(target, { dtype: g.dtype, backend: g.backend });
      grad =
        mode === 'nearest'
          ? scatterAdd(base, idx(i0!), grad, { dim })
          : scatterAdd(scatterAdd(base, idx(i0!), grad.mul(w0!), { dim }), idx(i1!), grad.mul(w1!), { dim });
    }
    return [grad];
  },
};
