import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) below: no overflow of e^-x, and the tiny results
// for very negative x are kept instead of flushed to 0 by 1 / Infinity
const helpers = `fn sigmoidOf(v: f32) -> f32 {
  let e = exp(-abs(v));
  return select(1.0 / (1.0 + e), e / (1.0 + e), v < 0.0);
}`;

export const sigmoid: Kernel<'sigmoid', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'sigmoid', inputs: [x], outDtype: ctx.dtype, expr: 'sigmoidOf(a)', helpers });
