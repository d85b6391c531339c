import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { f32Bits } from '../wgsl.js';

export const leakyRelu: Kernel<'leakyRelu', WebGPUBackend> = (ctx, x, { negativeSlope }) =>
  mapElementwise(ctx.backend, { name: 'leakyRelu', inputs: [x], outDtype: ctx.dtype, expr: 'select(a * paramF(0u), a, a > 0.0)', params: [f32Bits(negativeSlope)] });
