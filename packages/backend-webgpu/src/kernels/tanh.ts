import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { WGSL_TANH } from '../wgsl.js';

export const tanh: Kernel<'tanh', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'tanh', inputs: [x], outDtype: ctx.dtype, expr: 'tanhAccurate(a)', helpers: WGSL_TANH });
