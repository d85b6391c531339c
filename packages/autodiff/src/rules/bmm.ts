import type { GradRule } from '../rule.js';

// per batch entry: dA = g·Bᵀ, dB = Aᵀ·g
export const bmm: GradRule<'bmm'> = {
  backward: ({ saved: [a, b], needsGrad }, g) => [
    needsGrad[0] ? g.bmm(b!.transpose(1, 2)) : null,
    needsGrad[1] ? a!.transpose(1, 2).bmm(g) : null,
  ],
};
