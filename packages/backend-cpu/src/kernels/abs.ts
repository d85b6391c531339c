import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

/** Element-wise `|x|` (int32: |-2^31| wraps to -2^31, as in PyTorch). */
export const abs: Kernel<'abs', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.abs);
