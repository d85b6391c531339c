import type { GradRule } from '../rule.js';

// each input gets its own window of the gradient along dim; 1-d empty inputs that cat skipped
// get an empty gradient
export const cat: GradRule<'cat'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim }, needsGrad }, g) => {
    let start = 0;
    return inputs.map((m, i) => {
      const shape = m!.shape;
      const skipped = shape.length === 1 && shape[0] === 0 && g.ndim !== 1;
      if (skipped) return needsGrad[i] ? g.reshape(-1).narrow(0, 0, 0) : null;
      const len = shape[dim]!;
      const gi = needsGrad[i] ? g.narrow(dim, start, len) : null;
      start += len;
      return gi;
    });
  },
};
