import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

export const neg: Kernel<'neg', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'neg', inputs: [x], outDtype: ctx.dtype, expr: '-a' });
