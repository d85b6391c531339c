import type { GradRule } from '../rule.js';

// g · (1 - y²) from the saved output (exact 0 where tanh saturates to ±1)
export const tanh: GradRule<'tanh'> = {
  save: { inputs: false, outputs: true },
  backward: ({ outputs: [y] }, g) => [g.mul(y!.square().neg().add(1))],
};
