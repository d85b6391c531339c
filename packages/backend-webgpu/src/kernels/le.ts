import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// float NaN operands are tested on their bits: Vulkan compilers may assume no NaN and fold or
// reorder comparisons, and IEEE says every comparison with NaN is false except !=
export const le: Kernel<'le', WebGPUBackend> = (ctx, a, b) =>
  mapElementwise(ctx.backend, {
    name: 'le',
    inputs: [a, b],
    outDtype: ctx.dtype,
    expr: a.dtype === 'float32' ? 'select(a <= b, false, isNan(a) || isNan(b))' : 'a <= b',
  });
