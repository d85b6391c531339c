import { where } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

// g where min <= x <= max (bounds included, as in PyTorch's clamp_backward), else 0
export const clamp: GradRule<'clamp'> = {
  backward: ({ saved: [x], attrs: { min, max } }, g) => {
    let out = g;
    if (max !== null) out = where(x!.le(max), out, 0);
    if (min !== null) out = where(x!.ge(min), out, 0);
    return [out];
  },
};
