import type { GradRule } from '../rule.js';

// d std = var' / (2 std); like PyTorch, positions where std == 0 get a zero gradient instead of
// 0/0 (the denominator is patched to 1 there and the result masked)
export const std: GradRule<'std'> = {
  save: { inputs: true, outputs: true },
  backward: ({ saved: [x], outputs: [y], inputs, attrs: { dim, keepdim, correction } }, g) => {
    const shape = inputs[0]!.shape;
    let n = 1;
    for (const d of dim) n *= shape[d]!;
    const keptShape = shape.map((s, i) => (dim.includes(i) ? 1 : s));
    const gK = keepdim ? g : g.reshape(keptShape);
    const sK = keepdim ? y! : y!.reshape(keptShape);
    const gVar = gK.div(sK.mul(2).add(sK.eq(0))).mul(sK.ne(0));
    const dev = x!.sub(x!.mean({ dim, keepdim: true }));
    return [dev.mul(gVar.mul(2 / (n - correction)))];
  },
};
