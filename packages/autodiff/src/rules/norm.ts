import { where, zerosLike } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// PyTorch's norm_backward (linalg.vector_norm): g and the norm are broadcast back over the reduced
// dims; p = 2 gives x·g/‖x‖ (0 at the zero vector), p = 1 sign(x)·g, ±∞ shares g evenly among the
// elements whose |x| equals the norm (or is NaN), p = 0 nothing, other p
// sign(x)·|x|^(p−1)·g/‖x‖^(p−1) (0 where the norm is 0; for p < 1, 0 where x is 0)
export const norm: GradRule<'norm'> = {
  save: { inputs: true, outputs: true },
  backward: ({ saved: [x], outputs: [n], attrs: { p, dim, keepdim } }, g) => {
    const xs = x!;
    const kept = xs.shape.map((s, i) => (dim.includes(i) ? 1 : s));
    const gK = keepdim ? g : g.reshape(kept);
    const nK = keepdim ? n! : n!.reshape(kept);
    if (p === 0) return [zerosLike(xs)];
    if (p === 1) return [xs.sign().mul(gK)];
    if (p === 2) return [xs.mul(where(nK.eq(0), 0, gK.div(nK)))];
    if (p === Infinity || p === -Infinity) {
      const ax = xs.abs();
      // |x| == norm, or |x| is NaN (the two never hold together)
      const mask = ax.eq(nK).to(xs.dtype).add(ax.ne(ax).to(xs.dtype));
      return [xs.sign().mul(gK.div(mask.sum({ dim, keepdim: true })).mul(mask))];
    }
    if (p < 1) {
      const scaled = where(xs.eq(0), 0, xs.sign().mul(xs.abs().pow(p - 1)));
      return [scaled.mul(gK).mul(nK.pow(1 - p))];
    }
    const scaled = p < 2 ? xs.sign().mul(xs.abs().pow(p - 1)) : xs.mul(xs.abs().pow(p - 2));
    return [scaled.mul(where(nK.eq(0), 0, gK.div(nK.pow(p - 1))))];
  },
};
