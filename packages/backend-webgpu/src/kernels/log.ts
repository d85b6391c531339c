import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// Vulkan leaves log undefined for x <= 0: spell out log(0) = -Infinity and log(x < 0) = NaN; and
// its log need not be accurate for subnormals (lavapipe's log(1e-40) is -88.02, not -92.10):
// scale them into the normal range by 2^24 and subtract 24·ln 2
const helpers =
  'fn logOf(v: f32) -> f32 { if (v == 0.0) { return -infF32(); } if (v < 0.0 || isNan(v)) { return nanF32(); } ' +
  'if (v < 1.17549435e-38) { return log(v * 16777216.0) - 16.635532333438686; } return log(v); }';

export const log: Kernel<'log', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'log', inputs: [x], outDtype: ctx.dtype, expr: 'logOf(a)', helpers });
