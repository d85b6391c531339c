import { pad } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

/** Zero padding along one dim, in `pad`'s last-dim-first order. */
function padAlong(ndim: number, dim: number, before: number, after: number): number[] {
  const p = new Array<number>(2 * (ndim - dim)).fill(0);
  p[2 * (ndim - 1 - dim)] = before;
  p[2 * (ndim - 1 - dim) + 1] = after;
  return p;
}

// the gradient lands at position `index` of the removed dim, zeros elsewhere
export const select: GradRule<'select'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim, index } }, g) => {
    const shape = inputs[0]!.shape;
    return [pad(g.unsqueeze(dim), padAlong(shape.length, dim, index, shape[dim]! - index - 1))];
  },
};
