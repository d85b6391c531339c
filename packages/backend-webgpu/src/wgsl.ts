/**
 * WGSL building blocks shared by every program: the storage type of each dtype, float bit tricks
 * that survive drivers which assume no NaN/Infinity, and float32-accurate math functions where
 * WGSL's built-ins are too loose for ARCHITECTURE.md, Numerics (Vulkan only promises an absolute error of 2⁻¹¹
 * for `sin`/`cos` and derives `tanh` from `exp`, which cancels catastrophically near 0).
 */
import type { DType } from '@tensorgrad/tensor';

/** The WGSL element type a dtype is stored as: `f32`, `i32`, or `u32` (0/1) for `bool`. */
export type WgslType = 'f32' | 'i32' | 'u32';

/**
 * The WGSL storage type of a dtype (`bool` is one `u32` per element, 0 or 1). Throws for dtypes
 * WebGPU cannot store (float64: WGSL has no 64-bit floats).
 *
 * @example
 * ```ts
 * import { wgslType } from '@tensorgrad/backend-webgpu';
 * wgslType('bool'); // 'u32'
 * ```
 */
export function wgslType(dtype: DType): WgslType {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    default:
      throw new TypeError(
        `webgpu: dtype ${dtype} is not supported on WebGPU (WGSL has no 64-bit floats); convert the tensor with .float() ` +
          `(float32) before moving it to 'webgpu', or keep float64 work on the 'cpu' backend`,
      );
  }
}

/**
 * The bits of a float32 as an unsigned 32-bit integer (how float metadata such as `clamp`'s bounds
 * reach a program: read them back with `metaF(i)`).
 *
 * @example
 * ```ts
 * import { f32Bits } from '@tensorgrad/backend-webgpu';
 * f32Bits(1); // 1065353216
 * ```
 */
export function f32Bits(v: number): number {
  scratchF32[0] = v;
  return scratchU32[0]!;
}
// Module-level on purpose: a conversion scratch only, written and read back within one synchronous
// f32Bits call, so no state outlives a call and instances cannot observe each other through it.
// (Anything that counts, pools or configures lives on the WebGPUBackend instance.)
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/**
 * Helpers every program gets (after its metadata accessors): `isNan`, `isInf` (bit tests that no
 * "no NaN" optimisation can fold away), `nanF32()`, `infF32()` (functions: WGSL constant
 * expressions cannot hold NaN or ±Infinity), and `flatWorkgroup`, which turns a 2-D dispatch grid
 * (used past 65535 workgroups) back into one linear workgroup index.
 */
export const WGSL_COMMON = /* wgsl */ `
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn isInf(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) == 0x7f800000u; }
var<private> NAN_BITS_: u32 = 0x7fc00000u;
var<private> INF_BITS_: u32 = 0x7f800000u;
fn nanF32() -> f32 { return bitcast<f32>(NAN_BITS_); }
fn infF32() -> f32 { return bitcast<f32>(INF_BITS_); }
fn flatWorkgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 { return (wid.z * nwg.y + wid.y) * nwg.x + wid.x; }
`;

/**
 * `sin`/`cos` to about 1 ulp for every finite float32: Cephes' sinf/cosf (Cody–Waite reduction by
 * π/4 and minimax polynomials) below 8192, and a Payne–Hanek reduction above (the argument's
 * significand times 224 bits of 2/π, in 32-bit integer arithmetic), as the CPU backend's double
 * precision `Math.sin` effectively is.
 */
export const WGSL_SINCOS = /* wgsl */ `
fn sinPoly(x: f32, z: f32) -> f32 { return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * x + x; }
fn cosPoly(z: f32) -> f32 { return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0; }
var<private> TWO_OVER_PI_: array<u32, 7> = array<u32, 7>(0x00000000u, 0x28be60dbu, 0x9391054au, 0x7f09d5f4u, 0x7d4d3770u, 0x36d8a566u, 0x4f10e410u);
// the 64-bit product a·b as (low, high) words
fn mulWide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2<u32>(((mid & 0xffffu) << 16u) | (p00 & 0xffffu), p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}
struct Reduced { r: f32, q: u32 }
// |v| >= 8192 and finite: v = (4k + q)·π/2 + r with |r| <= π/4
fn reduceLarge(v: f32) -> Reduced {
  let bits = bitcast<u32>(v);
  let e = ((bits >> 23u) & 0xffu) - 126u;
  let m = (bits << 8u) | 0x80000000u;
  var res: array<u32, 8>;
  var carry = 0u;
  for (var k = 6i; k >= 0i; k = k - 1i) {
    let p = mulWide(m, TWO_OVER_PI_[k]);
    let lo = p.x + carry;
    carry = p.y + select(0u, 1u, lo < p.x);
    res[k + 1i] = lo;
  }
  res[0] = carry;
  let qw = e >> 5u;
  let sh = e & 31u;
  var hi = res[qw + 1u];
  var mid = res[qw + 2u];
  let lo = res[qw + 3u];
  if (sh != 0u) {
    hi = (hi << sh) | (mid >> (32u - sh));
    mid = (mid << sh) | (lo >> (32u - sh));
  }
  var q = hi >> 30u;
  hi = (hi << 2u) | (mid >> 30u);
  mid = mid << 2u;
  var neg = false;
  if ((hi & 0x80000000u) != 0u) { hi = ~hi; mid = ~mid; q = (q + 1u) & 3u; neg = true; }
  var scale = 32u;
  if (hi == 0u) { hi = mid; mid = 0u; scale = 64u; }
  let z = countLeadingZeros(hi);
  if (z != 0u) { hi = (hi << z) | (mid >> (32u - z)); }
  var r = f32(hi) * bitcast<f32>((127u - scale - z) << 23u) * 1.5707963267948966;
  if (neg) { r = -r; }
  if (v < 0.0) { r = -r; q = (4u - q) & 3u; }
  return Reduced(r, q);
}
fn sinCos(v: f32, wantCos: bool) -> f32 {
  if (isNan(v) || isInf(v)) { return nanF32(); }
  var x = abs(v);
  if (x >= 8192.0) {
    let red = reduceLarge(v);
    let q = (red.q + select(0u, 1u, wantCos)) & 3u;
    let z = red.r * red.r;
    let t = select(sinPoly(red.r, z), cosPoly(z), (q & 1u) == 1u);
    return select(t, -t, q >= 2u);
  }
  var j = u32(x * 1.27323954473516);
  var y = f32(j);
  if ((j & 1u) == 1u) { j = j + 1u; y = y + 1.0; }
  j = j & 7u;
  var neg = !wantCos && v < 0.0;
  if (j > 3u) { neg = !neg; j = j - 4u; }
  if (wantCos && j > 1u) { neg = !neg; }
  x = ((x - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let z = x * x;
  let useCos = select(j == 1u || j == 2u, j == 0u || j == 3u, wantCos);
  var r = select(sinPoly(x, z), cosPoly(z), useCos);
  if (neg) { r = -r; }
  return r;
}
`;

/** `tanh` to a few ulp: an odd polynomial near 0 (where `(e²ˣ-1)/(e²ˣ+1)` cancels), `1 - 2/(e²ˣ+1)` beyond (Cephes' tanhf). */
export const WGSL_TANH = /* wgsl */ `
fn tanhAccurate(v: f32) -> f32 {
  let z = abs(v);
  if (z >= 0.625) {
    if (z > 44.0) { return select(1.0, -1.0, v < 0.0); }
    let r = 1.0 - 2.0 / (exp(z + z) + 1.0);
    return select(r, -r, v < 0.0);
  }
  let s = v * v;
  return ((((-5.70498872745e-3 * s + 2.06390887954e-2) * s - 5.37397155531e-2) * s + 1.33314422036e-1) * s - 3.33332819422e-1) * s * v + v;
}
`;

/**
 * `erf` to about 1 ulp in float32 (minimax polynomials: in x² below 0.9277, and for the tail in
 * |x| inside an exponential, erfc(|x|) = exp(p(|x|))), and the normal CDF `normalCdf(x)` =
 * ½·erfc(-x/√2), which uses that exponential directly in the lower tail instead of cancelling
 * 1 + erf(x/√2) (`gelu` for negative inputs).
 */
export const WGSL_ERF = /* wgsl */ `
// t > 0.927734375: erfc(t) = exp(erfcLog(t))
fn erfcLog(t: f32) -> f32 {
  let s = t * t;
  var r = fma(-1.72853470e-5, t, 3.83197126e-4);
  let u = fma(-3.88396438e-3, t, 2.42546219e-2);
  r = fma(r, s, u);
  r = fma(r, t, -1.06777877e-1);
  r = fma(r, t, -6.34846687e-1);
  r = fma(r, t, -1.28717512e-1);
  return fma(r, t, -t);
}
fn erfAccurate(a: f32) -> f32 {
  let t = abs(a);
  if (t > 0.927734375) {
    let r = 1.0 - exp(erfcLog(t));
    return select(r, -r, a < 0.0);
  }
  let s = a * a;
  var r = -5.96761703e-4;
  r = fma(r, s, 4.99119423e-3);
  r = fma(r, s, -2.67681349e-2);
  r = fma(r, s, 1.12819925e-1);
  r = fma(r, s, -3.76125336e-1);
  r = fma(r, s, 1.28379166e-1);
  return fma(r, a, a);
}
fn normalCdf(x: f32) -> f32 {
  let u = x * 0.7071067811865476;
  if (u < -0.927734375) { return 0.5 * exp(erfcLog(-u)); }
  return 0.5 * (1.0 + erfAccurate(u));
}
`;

/**
 * The WGSL statement that atomically adds `v` to `Out[slot]` of an atomic output binding named
 * `Out`: `atomicAdd` for int32, an OR for bool, and for float32 (WGSL has no float atomics) a
 * compare-exchange loop on the bits. Shared by `scatterAdd` and `indexPut` with `accumulate`.
 *
 * @example
 * ```ts
 * import { atomicAddWgsl } from '@tensorgrad/backend-webgpu';
 * atomicAddWgsl('int32', 'o'); // 'atomicAdd(&Out[o], v);'
 * ```
 */
export function atomicAddWgsl(dtype: DType, slot: string): string {
  if (dtype === 'int32') return `atomicAdd(&Out[${slot}], v);`;
  if (dtype === 'bool') return `if (v != 0u) { atomicOr(&Out[${slot}], 1u); }`;
  if (dtype !== 'float32') throw new TypeError(`atomicAddWgsl: no atomic add for dtype ${dtype} on webgpu (float32, int32 and bool have one)`);
  return `
  var old = atomicLoad(&Out[${slot}]);
  loop {
    let r = atomicCompareExchangeWeak(&Out[${slot}], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }`;
}
