import { arange, type Tensor } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

function flip(t: Tensor, dim: number): Tensor {
  const n = t.shape[dim]!;
  return t.indexSelect(dim, arange(n - 1, -1, -1, { dtype: 'int32', backend: t.backend }));
}

// out[i] = Σ_{j≤i} x[j], so dx[j] = Σ_{i≥j} g[i]: the running sum of g taken from the end
export const cumsum: GradRule<'cumsum'> = {
  save: { inputs: false, outputs: false },
  backward: ({ attrs: { dim } }, g) => {
    if (g.ndim === 0 || g.shape[dim] === 0) return [g];
    return [flip(flip(g, dim).cumsum(dim), dim)];
  },
};
