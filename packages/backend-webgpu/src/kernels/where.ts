import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

/** Element-wise `cond ? x : y`; all three already have the output shape (broadcast through strides). */
export const where: Kernel<'where', WebGPUBackend> = (ctx, cond, x, y) =>
  mapElementwise(ctx.backend, { name: 'where', inputs: [cond, x, y], outDtype: ctx.dtype, expr: 'select(c, b, a != 0u)' });
