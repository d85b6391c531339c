import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { f32Bits } from '../wgsl.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

// max then min, so min > max gives max everywhere (PyTorch); NaN stays NaN. int32 bounds are
// clipped to the int32 range (a bound beyond it never binds).
export const clamp: Kernel<'clamp', WebGPUBackend> = (ctx, x, { min, max }) => {
  if (x.dtype === 'float32') {
    return mapElementwise(ctx.backend, {
      name: 'clamp',
      inputs: [x],
      outDtype: ctx.dtype,
      expr: 'select(min(max(a, paramF(0u)), paramF(1u)), a, isNan(a))',
      params: [f32Bits(min ?? -Infinity), f32Bits(max ?? Infinity)],
    });
  }
  const bound = (v: number | null, dflt: number): number => (v === null ? dflt : Math.min(Math.max(Math.trunc(v), INT_MIN), INT_MAX));
  return mapElementwise(ctx.backend, {
    name: 'clamp',
    inputs: [x],
    outDtype: ctx.dtype,
    expr: 'min(max(a, paramI(0u)), paramI(1u))',
    params: [bound(min, INT_MIN), bound(max, INT_MAX)],
  });
};
