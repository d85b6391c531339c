import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { WGSL_ERF } from '../wgsl.js';

// x·Φ(x) with a float32-accurate normal CDF (WGSL has no erf), or PyTorch's tanh approximation
// ½·x·(1 + tanh(u)) written as x / (1 + e^(-2u)), which equals it without the cancellation of
// 1 + tanh(u) for negative x
export const gelu: Kernel<'gelu', WebGPUBackend> = (ctx, x, { approximate }) =>
  approximate === 'tanh'
    ? mapElementwise(ctx.backend, {
        name: 'gelu-tanh',
        inputs: [x],
        outDtype: ctx.dtype,
        expr: 'a / (1.0 + exp(-1.5957691216057308 * (a + 0.044715 * a * a * a)))',
      })
    : mapElementwise(ctx.backend, { name: 'gelu', inputs: [x], outDtype: ctx.dtype, expr: 'a * normalCdf(a)', helpers: WGSL_ERF });
