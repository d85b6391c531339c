import type { GradRule } from '../rule.js';

// d mean = g / N, broadcast back over the reduced dims (re-inserted first when keepdim was false)
export const mean: GradRule<'mean'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim, keepdim } }, g) => {
    const shape = inputs[0]!.shape;
    let n = 1;
    for (const d of dim) n *= shape[d]!;
    const kept = keepdim ? g : g.reshape(shape.map((d, i) => (dim.includes(i) ? 1 : d)));
    return [kept.div(n).expand([...shape])];
  },
};
