import type { GradRule } from '../rule.js';

// output dim i is input dim dims[i], so the inverse permutation puts each back
export const permute: GradRule<'permute'> = {
  save: { inputs: false, outputs: false },
  backward: ({ attrs: { dims } }, g) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [g.permute(inverse)];
  },
};
