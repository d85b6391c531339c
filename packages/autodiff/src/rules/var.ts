import type { GradRule } from '../rule.js';

// d var = 2 (x - mean) / (N - correction) · g, as PyTorch's var_backward
const variance: GradRule<'var'> = {
  save: { inputs: true, outputs: false },
  backward: ({ saved: [x], inputs, attrs: { dim, keepdim, correction } }, g) => {
    const shape = inputs[0]!.shape;
    let n = 1;
    for (const d of dim) n *= shape[d]!;
    const gK = keepdim ? g : g.reshape(shape.map((s, i) => (dim.includes(i) ? 1 : s)));
    const dev = x!.sub(x!.mean({ dim, keepdim: true }));
    return [dev.mul(gK.mul(2 / (n - correction)))];
  },
};

export { variance as var };
