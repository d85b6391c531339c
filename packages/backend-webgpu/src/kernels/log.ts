import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// Vulkan leaves log undefined for x <= 0: spell out log(0) = -Infinity and log(x < 0) = NaN
const helpers = 'fn logOf(v: f32) -> f32 { if (v == 0.0) { return -infF32(); } if (v < 0.0 || isNan(v)) { return nanF32(); } return log(v); }';

export const log: Kernel<'log', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'log', inputs: [x], outDtype: ctx.dtype, expr: 'logOf(a)', helpers });
