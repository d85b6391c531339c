import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

export const sub: Kernel<'sub', WebGPUBackend> = (ctx, a, b) => mapElementwise(ctx.backend, { name: 'sub', inputs: [a, b], outDtype: ctx.dtype, expr: 'a - b' });
