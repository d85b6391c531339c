import type { Kernel } from '@tensorgrad/tensor/backend';
import type { WebGPUBackend } from '../backend.js';
import { mapElementwise } from '../elementwise.js';

// WGSL's pow is exp2(y·log2(x)): undefined for x < 0 and loose at the IEEE corners, so C's pow
// (which PyTorch uses) is spelled out: pow(1, y) = pow(x, 0) = 1 (even for NaN), negative bases
// with integer exponents, signed zeros and infinities. A broadcast scalar exponent of 2, 0.5 or
// -0.5 is x·x, sqrt(x) or 1/sqrt(x), as PyTorch special-cases them. Subnormal bases are scaled by 2^24 before log2.
const FLOAT = `
fn isOddInt(y: f32) -> bool { return abs(y) < 16777216.0 && trunc(y) == y && fract(y * 0.5) != 0.0; }
fn powOf(x: f32, y: f32, scalarExp: bool) -> f32 {
  if (x == 1.0 || y == 0.0) { return 1.0; }
  if (isNan(x) || isNan(y)) { return nanF32(); }
  if (scalarExp && y == 2.0) { return x * x; }
  if (scalarExp && y == 0.5) { return select(sqrt(x), nanF32(), x < 0.0); }
  let ax = abs(x);
  let negX = (bitcast<u32>(x) & 0x80000000u) != 0u;
  if (scalarExp && y == -0.5) {
    // rsqrt, as PyTorch: rsqrt(-0) = -Infinity, rsqrt(x < 0) = NaN (C's pow: +Infinity, NaN; pow(-Inf, -0.5) = +0)
    if (x < 0.0) { return nanF32(); }
    if (x == 0.0) { return select(infF32(), -infF32(), negX); }
    return 1.0 / sqrt(x);
  }
  if (isInf(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, infF32(), (ax > 1.0) == (y > 0.0));
  }
  let odd = isOddInt(y);
  if (ax == 0.0) {
    let r = select(infF32(), 0.0, y > 0.0);
    return select(r, -r, odd && negX);
  }
  if (isInf(x)) {
    let r = select(0.0, infF32(), y > 0.0);
    return select(r, -r, odd && negX);
  }
  if (negX && trunc(y) != y) { return nanF32(); }
  // a subnormal base is scaled into the normal range first (lavapipe's log2 is off below it)
  let lx = select(log2(ax), log2(ax * 16777216.0) - 24.0, ax < 1.17549435e-38);
  let r = exp2(y * lx);
  return select(r, -r, negX && odd);
}`;

// integer powers by repeated squaring with wrapping products; negative exponents truncate toward
// zero (only ±1 keep a non-zero result), as PyTorch does for integer tensors
const INT = `
fn powInt(x: i32, y: i32) -> i32 {
  if (y < 0) {
    if (x == 1) { return 1; }
    if (x == -1) { return select(-1, 1, (y & 1) == 0); }
    return 0;
  }
  var result = 1;
  var base = x;
  var e = u32(y);
  while (e > 0u) {
    if ((e & 1u) == 1u) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}`;

export const pow: Kernel<'pow', WebGPUBackend> = (ctx, a, b) => {
  if (a.dtype === 'float32') {
    const scalarExp = b.strides.every((s) => s === 0);
    return mapElementwise(ctx.backend, {
      name: scalarExp ? 'pow-scalar' : 'pow',
      inputs: [a, b],
      outDtype: ctx.dtype,
      expr: `powOf(a, b, ${scalarExp})`,
      helpers: FLOAT,
    });
  }
  if (a.dtype === 'int32') return mapElementwise(ctx.backend, { name: 'pow', inputs: [a, b], outDtype: ctx.dtype, expr: 'powInt(a, b)', helpers: INT });
  // bool ** bool: 0^0 = 1, 0^1 = 0, 1^y = 1
  return mapElementwise(ctx.backend, { name: 'pow', inputs: [a, b], outDtype: ctx.dtype, expr: 'a | (1u - b)' });
};
