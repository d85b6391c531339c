import { describe, expect, it } from 'vitest';
import { gelu, leakyRelu, tensor, type Tensor } from '@tensorgrad/tensor';
import '@tensorgrad/backend-cpu';
import { grad } from '@tensorgrad/autodiff';

// The gradient rules at the exact points where a function is not differentiable (or where a rule
// could divide by zero), against PyTorch's documented convention there, and at the points where
// the function is smooth but a rule might still special-case them (gelu, sigmoid, tanh at 0).
const at = (xs: number[], f: (x: Tensor) => Tensor): number[] => {
  const x = tensor(xs, { dtype: 'float64' });
  const [g] = grad((v) => f(v).sum(), [x]);
  const out = Array.from(g!.dataSync(), (v) => v + 0); // -0 → 0
  g!.dispose();
  x.dispose();
  return out;
};

describe('gradient rules at kink points follow PyTorch', () => {
  it('abs: sign(x), 0 at x = 0', () => expect(at([0, -0, 2, -3], (x) => x.abs())).toEqual([0, 0, 1, -1]));
  it('relu: 0 at x = 0 (threshold_backward)', () => expect(at([0, -0, 2, -3], (x) => x.relu())).toEqual([0, 0, 1, 0]));
  it('leakyRelu: negativeSlope at x = 0 (x > 0 ? 1 : slope)', () =>
    expect(at([0, 2, -3], (x) => leakyRelu(x, { negativeSlope: 0.1 }))).toEqual([0.1, 1, 0.1]));
  it('clamp: 1 at both bounds (min <= x <= max), 0 outside', () =>
    expect(at([-1, 1, 0, -2, 2], (x) => x.clamp({ min: -1, max: 1 }))).toEqual([1, 1, 1, 0, 0]));
  it('sign: 0 everywhere', () => expect(at([0, 1, -1], (x) => x.sign())).toEqual([0, 0, 0]));
  it('gelu (exact and tanh) at 0: Φ(0) = 1/2', () => {
    expect(at([0], (x) => gelu(x))).toEqual([0.5]);
    expect(at([0], (x) => gelu(x, { approximate: 'tanh' }))).toEqual([0.5]);
  });
  it('sigmoid and tanh at 0: 1/4 and 1', () => {
    expect(at([0], (x) => x.sigmoid())).toEqual([0.25]);
    expect(at([0], (x) => x.tanh())).toEqual([1]);
  });
  it('sqrt at 0: +Infinity (as PyTorch)', () => expect(at([0, 4], (x) => x.sqrt())).toEqual([Infinity, 0.25]));
  it('pow at base 0: e·0^(e-1), 0 for e = 0', () => {
    expect(at([0, 3], (x) => x.pow(2))).toEqual([0, 6]);
    expect(at([0, 3], (x) => x.pow(0))).toEqual([0, 0]);
  });
  it('max/min without dim: ties share the gradient evenly', () => {
    expect(at([1, 3, 3, 2], (x) => x.max())).toEqual([0, 0.5, 0.5, 0]);
    expect(at([1, 1, 3], (x) => x.min())).toEqual([0.5, 0.5, 0]);
  });
  it('std of constant values: 0 (not 0/0)', () => expect(at([2, 2, 2], (x) => x.std())).toEqual([0, 0, 0]));
});
