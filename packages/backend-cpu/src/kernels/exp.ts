import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { mapUnary } from '../util.js';

export const exp: Kernel<'exp', CpuBackend> = (ctx, x) => mapUnary(ctx, x, Math.exp);
