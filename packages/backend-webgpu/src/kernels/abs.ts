import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

export const abs: Kernel<'abs', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'abs', inputs: [x], outDtype: ctx.dtype, expr: 'abs(a)' });
