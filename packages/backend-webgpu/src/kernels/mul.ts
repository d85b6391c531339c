import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// bool * bool is a logical and; int32 products wrap (Math.imul on the CPU)
export const mul: Kernel<'mul', WebGPUBackend> = (ctx, a, b) =>
  mapElementwise(ctx.backend, { name: 'mul', inputs: [a, b], outDtype: ctx.dtype, expr: a.dtype === 'bool' ? 'a & b' : 'a * b' });
