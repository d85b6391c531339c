import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { argExtremum, less } from '../helpers/extremum.js';

/** The int32 index of the minimum along `dim` (into the flattened tensor when `null`); the first occurrence wins ties. */
export const argmin: Kernel<'argmin', CpuBackend> = (ctx, x, { dim }) => argExtremum(ctx, x, dim, less);
