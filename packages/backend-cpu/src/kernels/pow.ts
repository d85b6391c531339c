import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { isScalarLike, mapBinary, numbers } from '../util.js';

// C's pow (which PyTorch uses) differs from Math.pow in two corners: pow(1, y) = 1 for every y
// (even NaN), and pow(-1, ±Infinity) = 1
function powC(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

// integer power by repeated squaring with wrapping products; negative exponents truncate toward
// zero (only ±1 have a non-zero result), as PyTorch does for integer tensors
function powInt(x: number, y: number): number {
  if (y < 0) {
    if (x === 1) return 1;
    if (x === -1) return y % 2 === 0 ? 1 : -1;
    return 0;
  }
  let result = 1;
  let base = x;
  let e = y;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e >>>= 1;
  }
  return result;
}

const squared = (x: number): number => x * x;
const rsqrt = (x: number): number => 1 / Math.sqrt(x);

/** Element-wise `a ** b` (same dtype operands, broadcast through strides). */
export const pow: Kernel<'pow', CpuBackend> = (ctx, a, b) => {
  if (a.dtype === 'int32' || a.dtype === 'bool') return mapBinary(ctx, a, b, powInt);
  if (isScalarLike(b)) {
    // PyTorch special-cases these exponents (sqrt, rsqrt and x*x), which also fixes their special
    // values: pow(-Infinity, ±0.5) is NaN, pow(-0, -0.5) is -Infinity (C's pow: +Infinity, +0, +Infinity)
    const e = numbers(b)[b.offset]!;
    if (e === 0.5) return mapBinary(ctx, a, b, Math.sqrt);
    if (e === -0.5) return mapBinary(ctx, a, b, rsqrt);
    if (e === 2) return mapBinary(ctx, a, b, squared);
  }
  return mapBinary(ctx, a, b, powC);
};
