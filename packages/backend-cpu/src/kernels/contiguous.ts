import type { Kernel } from '@tensorgrad/tensor/backend';
import type { CpuBackend } from '../backend.js';
import { contiguousCopy } from '../util.js';

/** A contiguous copy of a strided view. */
export const contiguous: Kernel<'contiguous', CpuBackend> = (ctx, x) => contiguousCopy(ctx.backend, x);
