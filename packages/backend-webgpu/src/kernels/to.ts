import type { DType } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// float -> int32 as the CPU does it (Math.trunc(v) | 0): truncation toward zero, values beyond
// the int32 range wrap modulo 2^32, NaN and ±Infinity give 0. WGSL's i32(f32) would clamp.
const F2I = `
fn floatToInt(v: f32) -> i32 {
  if (isNan(v) || isInf(v)) { return 0; }
  let t = trunc(v);
  if (abs(t) < 2147483648.0) { return i32(t); }
  return bitcast<i32>(u32(t - 4294967296.0 * floor(t / 4294967296.0)));
}`;

function conversion(from: DType, to: DType): { expr: string; helpers?: string } {
  if (from === to) return { expr: 'a' };
  // anything -> bool is `!= 0` (NaN is true, ±0 false): tested on the bits so no fast-math can fold it
  if (to === 'bool') return { expr: from === 'float32' ? '(bitcast<u32>(a) & 0x7fffffffu) != 0u' : 'a != 0' };
  if (from === 'float32' && to === 'int32') return { expr: 'floatToInt(a)', helpers: F2I };
  return { expr: 'a' }; // int32/bool -> float32, bool -> int32: the wrapper's conversion
}

/** Conversion to another dtype (float → int truncates toward zero; → bool is `!= 0`). */
export const to: Kernel<'to', WebGPUBackend> = (ctx, x) => {
  const c = conversion(x.dtype, ctx.dtype);
  return mapElementwise(ctx.backend, { name: 'to', inputs: [x], outDtype: ctx.dtype, ...c });
};
