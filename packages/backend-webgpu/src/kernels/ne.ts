import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// float NaN operands are tested on their bits: Vulkan compilers may assume no NaN and fold or
// reorder comparisons, and IEEE says every comparison with NaN is false except !=
export const ne: Kernel<'ne', WebGPUBackend> = (ctx, a, b) =>
  mapElementwise(ctx.backend, {
    name: 'ne',
    inputs: [a, b],
    outDtype: ctx.dtype,
    expr: a.dtype === 'float32' ? 'select(a != b, true, isNan(a) || isNan(b))' : 'a != b',
  });
