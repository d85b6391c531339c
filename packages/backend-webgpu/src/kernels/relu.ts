import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// NaN passes through (PyTorch); -0 becomes +0 as on the CPU
export const relu: Kernel<'relu', WebGPUBackend> = (ctx, x) =>
  mapElementwise(ctx.backend, { name: 'relu', inputs: [x], outDtype: ctx.dtype, expr: x.dtype === 'float32' ? 'select(0.0, a, a > 0.0 || isNan(a))' : 'max(a, 0)' });
