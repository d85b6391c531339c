import type { GradRule } from '../rule.js';

// input i is slice i of the new dimension
export const stack: GradRule<'stack'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim }, needsGrad }, g) => inputs.map((_, i) => (needsGrad[i] ? g.select(dim, i) : null)),
};
