import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

const squareInt = (v: number): number => Math.imul(v, v);
const squareOf = (v: number): number => v * v;

/** Element-wise `x * x` (int32 wraps through `Math.imul`, since the double product may exceed 2^53). */
export const square: Kernel<'square', CpuBackend> = (ctx, x) =>
  x.dtype === 'int32' ? mapUnary(ctx, x, squareInt) : mapUnary(ctx, x, squareOf);
