import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { extremum, greater } from '../helpers/extremum.js';

/** `[values, indices]` of the maximum along `dim` (over everything when `null`); strict `>` keeps the first occurrence on ties, as PyTorch does. */
export const max: Kernel<'max', CpuBackend> = (ctx, x, { dim }) => extremum(ctx, x, dim, greater);
