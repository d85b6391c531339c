import type { GradRule } from '../rule.js';

// broadcast g back over the reduced dims (re-inserting them first when keepdim was false)
export const sum: GradRule<'sum'> = {
  save: { inputs: false, outputs: false },
  backward: ({ inputs, attrs: { dim, keepdim } }, g) => {
    const shape = inputs[0]!.shape;
    const kept = keepdim ? g : g.reshape(shape.map((d, i) => (dim.includes(i) ? 1 : d)));
    return [kept.expand([...shape])];
  },
};
