import { pad } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

/** Zero padding along one dim, in `pad`'s last-dim-first order. */
function padAlong(ndim: number, dim: number, before: number, after: number): number[] {
  const p = new Array<number>(2 * (ndim - dim)).fill(0);
  p[2 * (ndim - 1 - dim)] = before;
  p[2 * (ndim - 1 - dim) + 1] = after;
  return p;
}

// the gradient fills the narrowed window, zeros elsewhere
export const narrow: GradRule<'narrow'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim, start, length } }, g) => {
    const shape = inputs[0]!.shape;
    return [pad(g, padAlong(shape.length, dim, start, shape[dim]! - start - length))];
  },
};
