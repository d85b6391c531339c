import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

const signOf = (v: number): number => (v > 0 ? 1 : 0) - (v < 0 ? 1 : 0);

/** Element-wise sign: -1, 0 or 1; PyTorch's `(0 < x) - (x < 0)`, so sign(NaN) = 0 and sign(-0) = 0. */
export const sign: Kernel<'sign', CpuBackend> = (ctx, x) => mapUnary(ctx, x, signOf);
