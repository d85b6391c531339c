import { where } from '@tensorgrad/tensor';
import type { GradRule } from '../rule.js';

const INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2π)
const K_BETA = Math.sqrt(2 / Math.PI);
const K_KAPPA = 0.044715;

// exact: d/dx x·Φ(x) = Φ(x) + x·φ(x). There is no erf op, so Φ(x) = gelu(x) / x comes from the
// saved output; below |x| = 1e-30, Φ(x) is 1/2 to double precision and the
// quotient would lose precision (or be 0/0). tanh form: PyTorch's derivative of 0.5·x·(1 + tanh(inner)).
export const gelu: GradRule<'gelu'> = {
  save: { inputs: true, outputs: true },
  backward: ({ saved: [x], outputs: [y], attrs: { approximate } }, g) => {
    if (approximate === 'tanh') {
      const x2 = x!.square();
      const t = x!.add(x2.mul(x!).mul(K_KAPPA)).mul(K_BETA).tanh();
      const left = t.add(1).mul(0.5);
      const right = x!.mul(0.5).mul(t.square().neg().add(1)).mul(x2.mul(3 * K_KAPPA).add(1).mul(K_BETA));
      return [g.mul(left.add(right))];
    }
    const cdf = where(x!.abs().lt(1e-30), 0.5, y!.div(x!));
    const pdf = x!.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
    return [g.mul(cdf.add(x!.mul(pdf)))];
  },
};
