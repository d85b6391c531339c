import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

const negative = (v: number): number => -v;

/** Element-wise `-x` (the front-end rejects bool). */
export const neg: Kernel<'neg', CpuBackend> = (ctx, x) => mapUnary(ctx, x, negative);
