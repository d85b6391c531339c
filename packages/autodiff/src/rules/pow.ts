import { where } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';
import { sumToShape } from '../helpers.js';

// PyTorch's formulas: d/dbase = g · e · x^(e-1), forced to 0 where e == 0 (so 0^-1 never leaks
// an Infinity); d/dexp = g · x^e · log(x), forced to 0 where x == 0 and e >= 0 (the one-sided
// limit, instead of 0 · -Infinity = NaN)
export const pow: GradRule<'pow'> = {
  save: { inputs: true, outputs: true },
  backward: ({ saved: [x, e], outputs: [y], inputs, needsGrad }, g) => [
    needsGrad[0] ? sumToShape(where(e!.eq(0), 0, g.mul(e!.mul(x!.pow(e!.sub(1))))), inputs[0]!.shape) : null,
    needsGrad[1]
      ? sumToShape(g.mul(where(x!.eq(0), where(e!.ge(0), 0, y!.mul(x!.log())), y!.mul(x!.log()))), inputs[1]!.shape)
      : null,
  ],
};
