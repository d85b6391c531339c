import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// (x > 0) - (x < 0), as the CPU kernel computes it (NaN gives 0); bool is its own sign
function expr(dtype: string): string {
  if (dtype === 'float32') return 'f32(a > 0.0) - f32(a < 0.0)';
  if (dtype === 'int32') return 'i32(a > 0) - i32(a < 0)';
  return 'a';
}

export const sign: Kernel<'sign', WebGPUBackend> = (ctx, x) => mapElementwise(ctx.backend, { name: 'sign', inputs: [x], outDtype: ctx.dtype, expr: expr(x.dtype) });
