import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

export const div: Kernel<'div', WebGPUBackend> = (ctx, a, b) => mapElementwise(ctx.backend, { name: 'div', inputs: [a, b], outDtype: ctx.dtype, expr: 'a / b' });
