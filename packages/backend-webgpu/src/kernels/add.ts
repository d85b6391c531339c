import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// bool + bool is a logical or (PyTorch); int32 wraps like the CPU's 32-bit arithmetic
export const add: Kernel<'add', WebGPUBackend> = (ctx, a, b) =>
  mapElementwise(ctx.backend, { name: 'add', inputs: [a, b], outDtype: ctx.dtype, expr: a.dtype === 'bool' ? 'a | b' : 'a + b' });
