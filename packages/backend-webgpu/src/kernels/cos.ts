import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { WGSL_SINCOS } from '../wgsl.js';

// WGSL's cos is only promised to 2^-11 absolute error; this one is about 1 ulp
export const cos: Kernel<'cos', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'cos', inputs: [x], outDtype: ctx.dtype, expr: 'sinCos(a, true)', helpers: WGSL_SINCOS });
