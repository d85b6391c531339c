import { pad } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

/** Zero padding along one dim, in `pad`'s last-dim-first order. */
function padAlong(ndim: number, dim: number, before: number, after: number): number[] {
  const p = new Array<number>(2 * (ndim - dim)).fill(0);
  p[2 * (ndim - 1 - dim)] = before;
  p[2 * (ndim - 1 - dim) + 1] = after;
  return p;
}

// with step > 1 each gradient value is followed by step-1 zeros (pad a new trailing axis to
// `step`, merge it), then the block is shifted to `start` and cropped/padded to the input size
export const slice: GradRule<'slice'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim, start, step } }, g) => {
    const shape = inputs[0]!.shape;
    const nd = shape.length;
    const len = g.shape[dim]!;
    let spread = g;
    if (step > 1) {
      const withAxis = pad(g.unsqueeze(dim + 1), padAlong(nd + 1, dim + 1, 0, step - 1));
      const merged = [...g.shape];
      merged[dim] = len * step;
      spread = withAxis.reshape(merged);
    }
    const extent = step > 1 ? len * step : len;
    return [pad(spread, padAlong(nd, dim, start, shape[dim]! - start - extent))];
  },
};
