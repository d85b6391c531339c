import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// Vulkan leaves sqrt undefined below 0: NaN there, as IEEE says
export const sqrt: Kernel<'sqrt', WebGPUBackend> = (ctx, x) =>
  mapElementwise(ctx.backend, { name: 'sqrt', inputs: [x], outDtype: ctx.dtype, expr: 'select(sqrt(a), nanF32(), a < 0.0 || isNan(a))' });
