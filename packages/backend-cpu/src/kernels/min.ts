import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { extremum, less } from '../helpers/extremum.js';

/** `[values, indices]` of the minimum along `dim` (over everything when `null`); strict `<` keeps the first occurrence on ties, as PyTorch does. */
export const min: Kernel<'min', CpuBackend> = (ctx, x, { dim }) => extremum(ctx, x, dim, less);
