import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { argExtremum, greater } from '../helpers/extremum.js';

/** The int32 index of the maximum along `dim` (into the flattened tensor when `null`); the first occurrence wins ties. */
export const argmax: Kernel<'argmax', CpuBackend> = (ctx, x, { dim }) => argExtremum(ctx, x, dim, greater);
