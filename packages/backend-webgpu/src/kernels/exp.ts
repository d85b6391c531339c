import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// exp(±Infinity) and exp(NaN) follow IEEE; Vulkan's exp is accurate to 3 + 2·|x| ulp
export const exp: Kernel<'exp', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'exp', inputs: [x], outDtype: ctx.dtype, expr: 'exp(a)' });
