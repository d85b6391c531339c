import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// int32 squares wrap (Math.imul on the CPU)
export const square: Kernel<'square', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'square', inputs: [x], outDtype: ctx.dtype, expr: 'a * a' });
