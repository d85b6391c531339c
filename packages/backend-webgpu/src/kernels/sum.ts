import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { reduceSum } from '../reduction.js';

// float32 sums accumulate in float32 per thread, then pairwise across the workgroup (like
// PyTorch's cascade summation); int32 and bool sum to int32 with wrapping adds
export const sum: Kernel<'sum', WebGPUBackend> = (ctx, x, { dim }) => reduceSum(ctx.backend, x, dim, ctx.shape);
