import type { GradRule } from '../rule.js';

// d(A·B): dA = g·Bᵀ, dB = Aᵀ·g
export const mm: GradRule<'mm'> = {
  backward: ({ saved: [a, b], needsGrad }, g) => [
    needsGrad[0] ? g.mm(b!.transpose(0, 1)) : null,
    needsGrad[1] ? a!.transpose(0, 1).mm(g) : null,
  ],
};
