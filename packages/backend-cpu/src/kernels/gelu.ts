import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2 / sqrt(pi)
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1 / sqrt(pi)

// e^(-x^2) without the rounding error of x*x (which exp would magnify by x^2): split x into a
// 24-bit head, whose square is exact in double, and a small tail
function expNegSquare(x: number): number {
  const hi = Math.fround(x);
  const lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-(2 * hi * lo + lo * lo));
}

/**
 * The error function in double precision (absolute error below 1e-15; golden float64 GELU
 * values are checked to 1e-10). For |x| < 1.5 the Maclaurin series, whose terms stay small there
 * (little cancellation); above, erfc from its continued fraction, which converges within 120
 * terms from 1.5 on, and erf = 1 - erfc.
 */
function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 1.5) {
    // erf(x) = 2/sqrt(pi) · Σ (-1)^n x^(2n+1) / (n! (2n+1))
    const x2 = x * x;
    let power = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      power *= -x2 / n;
      const term = power / (2 * n + 1);
      sum += term;
      if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax >= 6) return x > 0 ? 1 : -1; // erfc(6) ≈ 2e-17 is below half an ulp of 1
  // erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up
  let t = ax;
  for (let k = ax < 2 ? 120 : 60; k >= 1; k--) t = ax + k / 2 / t;
  const erfc = (ONE_OVER_SQRT_PI * expNegSquare(ax)) / t;
  return x > 0 ? 1 - erfc : erfc - 1;
}

const K_BETA = Math.sqrt(2 / Math.PI);
const K_KAPPA = 0.044715;
const geluTanh = (v: number): number => 0.5 * v * (1 + Math.tanh(K_BETA * (v + K_KAPPA * v * v * v)));
const geluErf = (v: number): number => v * 0.5 * (1 + erf(v * Math.SQRT1_2));

/**
 * GELU: exact `x/2 · (1 + erf(x/√2))`, or PyTorch's tanh approximation
 * `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`, in PyTorch's evaluation order.
 */
export const gelu: Kernel<'gelu', CpuBackend> = (ctx, x, { approximate }) =>
  approximate === 'tanh'
    ? mapUnary(ctx, x, geluTanh)
    : mapUnary(ctx, x, geluErf);
