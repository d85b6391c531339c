import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { WGSL_SINCOS } from '../wgsl.js';

// WGSL's sin is only promised to 2^-11 absolute error; this one is about 1 ulp
export const sin: Kernel<'sin', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'sin', inputs: [x], outDtype: ctx.dtype, expr: 'sinCos(a, false)', helpers: WGSL_SINCOS });
