import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';
import { f32Bits } from '../wgsl.js';

/** Copy of `x` with `value` where `mask` (bool, already broadcast to `x`'s shape) is true. */
export const maskedFill: Kernel<'maskedFill', WebGPUBackend> = (ctx, x, mask, { value }) => {
  // the value converted as the CPU's typed-array store does: float32 rounding, int32 wrapping
  // (ToInt32: fractions truncate, NaN and ±Infinity give 0), bool `!= 0`
  const [word, read] =
    x.dtype === 'float32' ? [f32Bits(value), 'paramF(0u)'] : x.dtype === 'int32' ? [value | 0, 'paramI(0u)'] : [value !== 0 ? 1 : 0, 'param(0u)'];
  return mapElementwise(ctx.backend, { name: 'maskedFill', inputs: [x, mask], outDtype: ctx.dtype, expr: `select(a, ${read}, b != 0u)`, params: [word] });
};
