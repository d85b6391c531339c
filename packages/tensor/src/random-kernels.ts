/**
 * The arithmetic behind PyTorch-compatible random streams: the MT19937 engine of PyTorch's CPU
 * generator and float32/float64 helpers that reproduce, bit for bit, how PyTorch 1.13's CPU
 * kernels (built for AVX2 with FMA, as the x86-64 wheels and Debian's package are) turn its
 * 32-bit draws into numbers. Not exported from the package; `random.ts` builds on it.
 * @internal
 */

const f32 = Math.fround;
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** 2^-24 and 2^-53: the scales of PyTorch's 24-bit (float32) and 53-bit (float64) uniforms. */
export const TWO_POW_NEG_24 = 1 / 16777216;
/** @internal */
export const TWO_POW_NEG_53 = 1 / 9007199254740992;

const N = 624;
const M = 397;

/**
 * The Mersenne Twister of PyTorch's `CPUGeneratorImpl`: seeded with the low 32 bits of the seed
 * (MT19937's `init_genrand`), regenerating its 624 words when the first draw needs them.
 * @internal
 */
export class Mt19937 {
  /** The 624 words of state (as int32: V8 keeps them unboxed; read them with `>>> 0`). */
  readonly words = new Int32Array(N);
  /** Draws left before the next regeneration (1 right after seeding: the first draw regenerates). */
  left = 1;
  /** Index of the next word to temper. */
  next = 0;

  /** Seeds with the low 32 bits of `seed`. */
  seed(seed32: number): void {
    const w = this.words;
    w[0] = seed32 | 0;
    for (let j = 1; j < N; j++) {
      const prev = w[j - 1]!;
      w[j] = Math.imul(1812433253, prev ^ (prev >>> 30)) + j;
    }
    this.left = 1;
    this.next = 0;
  }

  /** Regenerates all 624 words (the twist). */
  private regenerate(): void {
    const w = this.words;
    let k = 0;
    for (; k < N - M; k++) w[k] = w[k + M]! ^ twist(w[k]!, w[k + 1]!);
    for (; k < N - 1; k++) w[k] = w[k + M - N]! ^ twist(w[k]!, w[k + 1]!);
    w[N - 1] = w[M - 1]! ^ twist(w[N - 1]!, w[0]!);
    this.left = N;
    this.next = 0;
  }

  /** The next 32-bit output, in `[0, 2^32)` (PyTorch's `random()`). */
  nextUint32(): number {
    if (--this.left === 0) this.regenerate();
    let y = this.words[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform double in `[0, 1)` from PyTorch's `random64()` (first draw the high word, second the
   * low word) masked to 53 bits.
   */
  nextDouble(): number {
    const hi = this.nextUint32() & 0x1fffff;
    const lo = this.nextUint32();
    return (hi * 4294967296 + lo) * TWO_POW_NEG_53;
  }

  /** A uniform float32 in `[0, 1)`: the low 24 bits of one draw, times 2^-24. */
  nextFloat(): number {
    return (this.nextUint32() & 0xffffff) * TWO_POW_NEG_24;
  }

  /** Fills `d[start..end)` with {@link Mt19937.nextFloat} values (the same stream, without a call per draw). */
  fillFloat(d: Float32Array | Float64Array, start: number, end: number): void {
    const w = this.words;
    let left = this.left;
    let next = this.next;
    for (let i = start; i < end; i++) {
      if (--left === 0) {
        this.regenerate();
        left = N;
        next = 0;
      }
      let y = w[next++]!;
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      d[i] = (y & 0xffffff) * TWO_POW_NEG_24;
    }
    this.left = left;
    this.next = next;
  }

  /** PyTorch's `random64()` as a bigint (for integer ranges of 2^32 or more). */
  nextUint64(): bigint {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

function twist(u: number, v: number): number {
  const y = (u & 0x80000000) | (v & 0x7fffffff);
  return (y >>> 1) ^ (v & 1 ? 0x9908b0df : 0);
}

/**
 * `a * b + c` rounded once to float32 (the `vfmadd` instruction), for float32 `a`, `b`, `c`: the
 * product is exact in a double, and the one case where rounding the double sum to float32 rounds
 * twice (a sum that lands exactly halfway between two floats) is settled by the sum's error.
 * @internal
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f32(s);
  if (r === s) return r;
  // s is halfway between two floats exactly when its mirror image about r is a float too; only
  // then does the rounding error of the double sum decide the float
  const other = r + 2 * (s - r);
  if (f32(other) !== other) return r;
  const t = s - p;
  const err = p - (s - t) + (c - t);
  if (err === 0) return r;
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}

const SPLIT = 134217729; // 2^27 + 1

/**
 * `a * b + c` for doubles with the product kept exact (Dekker's two-product) and one final
 * rounding of the sum of three parts: PyTorch's kernels contract `x * std + mean` into an FMA.
 * Exact except when the result sits within about 2^-100 of a rounding boundary.
 * @internal
 */
export function fma64(a: number, b: number, c: number): number {
  if (c === 0) return a * b;
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c)) return p + c;
  const as = SPLIT * a;
  const ah = as - (as - a);
  const al = a - ah;
  const bs = SPLIT * b;
  const bh = bs - (bs - b);
  const bl = b - bh;
  const pe = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  const t = s - p;
  const se = p - (s - t) + (c - t);
  return s + (se + pe);
}

// Constants of avx_mathfun.h (Cephes polynomials), as float32.
const SQRTHF = f32(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
  3.3333331174e-1,
].map(f32) as readonly number[];
const LOG_Q1 = f32(-2.1219444e-4);
const LOG_Q2 = f32(0.693359375);
const DP1 = f32(-0.78515625);
const DP2 = f32(-2.4187564849853515625e-4);
const DP3 = f32(-3.77489497744594108e-8);
const SIN_P0 = f32(-1.9515295891e-4);
const SIN_P1 = f32(8.3321608736e-3);
const SIN_P2 = f32(-1.6666654611e-1);
const COS_P0 = f32(2.443315711809948e-5);
const COS_P1 = f32(-1.388731625493765e-3);
const COS_P2 = f32(4.166664568298827e-2);
const FOPI = f32(1.27323954473516);
const MIN_NORM = 1.1754943508222875e-38;
const TWO_PI_F32 = f32(2 * Math.PI);

/**
 * Natural log of a float32 in `(0, 1]` as PyTorch's AVX2 `log256_ps` computes it (Cephes
 * polynomial in float32, with the multiply-adds GCC fuses into FMAs in the shipped build).
 */
function logAvx(v: number): number {
  F32[0] = Math.max(v, MIN_NORM);
  const bits = I32[0]!;
  let e = f32((bits >>> 23) - 127 + 1);
  I32[0] = (bits & ~0x7f800000) | 0x3f000000;
  let x = F32[0]!;
  const small = x < SQRTHF;
  const keep = small ? x : 0;
  x = f32(x - 1);
  if (small) e = f32(e - 1);
  x = f32(x + keep);
  const z = f32(x * x);
  let y = LOG_P[0]!;
  for (let k = 1; k < 9; k++) y = fmaf(y, x, LOG_P[k]!);
  y = f32(y * x);
  y = fmaf(y, z, f32(e * LOG_Q1));
  y = fmaf(-z, 0.5, y);
  x = f32(x + y);
  return fmaf(e, LOG_Q2, x);
}

let sinOut = 0;
let cosOut = 0;

/** Sine and cosine of a non-negative float32 as `sincos256_ps` computes them; results in sinOut/cosOut. */
function sincosAvx(v: number): void {
  let x = Math.abs(v);
  let j = Math.trunc(f32(x * FOPI)) | 0;
  j = (j + 1) & ~1;
  const y = f32(j);
  const sinSign = (v < 0 ? 1 : 0) ^ (j & 4 ? 1 : 0);
  const cosSign = ~(j - 2) & 4 ? 1 : 0;
  const firstPoly = (j & 2) === 0;
  x = fmaf(y, DP1, x);
  x = fmaf(y, DP2, x);
  x = fmaf(y, DP3, x);
  const z = f32(x * x);
  let c = fmaf(COS_P0, z, COS_P1);
  c = fmaf(c, z, COS_P2);
  c = f32(c * z);
  c = fmaf(c, z, -f32(z * 0.5));
  c = f32(c + 1);
  let s = fmaf(SIN_P0, z, SIN_P1);
  s = fmaf(s, z, SIN_P2);
  s = f32(s * z);
  s = fmaf(s, x, x);
  const sn = firstPoly ? s : c;
  const cs = firstPoly ? c : s;
  sinOut = sinSign ? -sn : sn;
  cosOut = cosSign ? -cs : cs;
}

/** Box–Muller over one block of 16 float32 uniforms at `o` (`normal_fill_16_AVX2`). */
function normalBlockF32(d: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - d[o + j]!);
    const u2 = d[o + j + 8]!;
    const radius = f32(Math.sqrt(f32(-2 * logAvx(u1))));
    sincosAvx(f32(TWO_PI_F32 * u2));
    d[o + j] = fmaf(f32(radius * cosOut), std, mean);
    d[o + j + 8] = fmaf(f32(radius * sinOut), std, mean);
  }
}

/** Box–Muller over one block of 16 float64 uniforms at `o` (`normal_fill_16<double>`). */
function normalBlockF64(d: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - d[o + j]!;
    const u2 = d[o + j + 8]!;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    d[o + j] = fma64(radius * Math.cos(theta), std, mean);
    d[o + j + 8] = fma64(radius * Math.sin(theta), std, mean);
  }
}

/**
 * PyTorch's vectorised `normal_` for a contiguous tensor of 16 or more elements: fill with
 * uniforms, Box–Muller in blocks of 16 (first 8 uniforms give the radii, the next 8 the angles),
 * and when the size is not a multiple of 16, draw 16 fresh uniforms for the last 16 elements and
 * transform them again.
 * @internal
 */
export function normalFill(data: Float32Array | Float64Array, mt: Mt19937, mean: number, std: number): void {
  const n = data.length;
  if (data instanceof Float32Array) {
    const m = f32(mean);
    const s = f32(std);
    mt.fillFloat(data, 0, n);
    for (let i = 0; i + 16 <= n; i += 16) normalBlockF32(data, i, m, s);
    if (n % 16 !== 0) {
      mt.fillFloat(data, n - 16, n);
      normalBlockF32(data, n - 16, m, s);
    }
  } else {
    for (let i = 0; i < n; i++) data[i] = mt.nextDouble();
    for (let i = 0; i + 16 <= n; i += 16) normalBlockF64(data, i, mean, std);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) data[i] = mt.nextDouble();
      normalBlockF64(data, n - 16, mean, std);
    }
  }
}
