/**
 * Seedable pseudo-random numbers for `rand`, `randn`, `randint`, `uniform_`, `normal_`, dropout
 * and data shuffling. The generator is xoshiro128** (fast, 128-bit state, passes BigCrush) seeded
 * through splitmix32. Seeding makes runs reproducible within tensorgrad, but the streams are not
 * PyTorch's (Mersenne Twister / Philox): the same seed gives different numbers than in PyTorch.
 */

/** PyTorch's default seed of its CPU generator, used as the default seed here too. */
const DEFAULT_SEED = 67280421310721;

const TWO_POW_32 = 4294967296;
const TWO_POW_NEG_24 = 1 / 16777216;
const TWO_POW_NEG_53 = 1 / 9007199254740992;

/** Options of the random in-place fills (`uniform_`, `normal_`). */
export interface RandomFillOptions {
  /** The generator to draw from; default the global one (seeded with `manualSeed`). */
  generator?: Generator;
}

/** The internal state of a {@link Generator}, as returned by `getState()`. */
export interface GeneratorState {
  /** The seed last set with `manualSeed` (or the initial one). */
  readonly seed: number;
  /** The four 32-bit words of the xoshiro128** state. */
  readonly words: readonly [number, number, number, number];
  /** The cached second Box–Muller sample, or `null`. */
  readonly spare: number | null;
}

function toSeed(op: string, seed: number | bigint): number {
  if (typeof seed === 'bigint') {
    if (seed < 0n) throw new RangeError(`${op}: expected a non-negative integer seed, got ${seed}`);
    return Number(seed % 2n ** 53n);
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`${op}: expected a non-negative integer seed (a number or bigint), got ${String(seed)}`);
  }
  if (seed > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${op}: seed ${seed} is larger than Number.MAX_SAFE_INTEGER; pass a bigint for large seeds`);
  }
  return seed;
}

/**
 * A seedable random number generator (xoshiro128**), PyTorch's `torch.Generator`. Pass one as
 * `{ generator }` to `rand`, `randn`, `randint`, `uniform_`, `normal_`, … to get a stream that is
 * independent of the global one.
 *
 * @example
 * ```ts
 * import { Generator, rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const g = new Generator().manualSeed(42);
 * const a = rand([3], { generator: g });
 * g.manualSeed(42);
 * const b = rand([3], { generator: g }); // the same values as a
 * ```
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private _seed = DEFAULT_SEED;

  /** Creates a generator seeded with `seed` (default: PyTorch's default seed 67280421310721). */
  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the generator (a non-negative integer, or a bigint reduced modulo 2^53) and
   * returns it.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const g = new Generator().manualSeed(7);
   * g.initialSeed(); // 7
   * ```
   */
  manualSeed(seed: number | bigint): this {
    const s = toSeed('manualSeed', seed);
    this._seed = s;
    // splitmix32 over both halves of the seed fills the 128-bit state; it never yields all zeros
    let x = (s % TWO_POW_32) ^ Math.imul((s / TWO_POW_32) >>> 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
    return this;
  }

  /**
   * The seed the generator was last seeded with.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * new Generator(3).initialSeed(); // 3
   * ```
   */
  initialSeed(): number {
    return this._seed;
  }

  /**
   * Seeds the generator from a non-deterministic source and returns the seed (PyTorch's
   * `Generator.seed()`).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const g = new Generator();
   * const s = g.seed();
   * g.initialSeed() === s; // true
   * ```
   */
  seed(): number {
    const s = Math.floor(Math.random() * TWO_POW_32) * 2048 + Math.floor(Math.random() * 2048);
    this.manualSeed(s);
    return s;
  }

  /**
   * A copy of the internal state, to restore later with {@link Generator.setState}.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const g = new Generator(1);
   * const state = g.getState();
   * const a = g.random();
   * g.setState(state);
   * g.random() === a; // true
   * ```
   */
  getState(): GeneratorState {
    return { seed: this._seed, words: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /**
   * Restores a state from {@link Generator.getState}; returns the generator.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const g = new Generator(1);
   * g.setState(new Generator(2).getState());
   * g.initialSeed(); // 2
   * ```
   */
  setState(state: GeneratorState): this {
    const w = state?.words;
    if (!Array.isArray(w) || w.length !== 4 || !w.every((v) => Number.isInteger(v))) {
      throw new TypeError('setState: expected a state returned by getState(): { seed, words: [4 integers], spare }');
    }
    if ((w[0] | w[1] | w[2] | w[3]) === 0) throw new RangeError('setState: the all-zero state is invalid for xoshiro128**');
    this.s0 = w[0] | 0;
    this.s1 = w[1] | 0;
    this.s2 = w[2] | 0;
    this.s3 = w[3] | 0;
    this._seed = state.seed;
    this.spare = state.spare;
    return this;
  }

  /**
   * The next 32 random bits as an unsigned integer in `[0, 2^32)`.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const u = new Generator(0).nextUint32(); // an integer in [0, 4294967296)
   * ```
   */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = (n3 << 11) | (n3 >>> 21);
    return r >>> 0;
  }

  /**
   * A uniform double in `[0, 1)` with 53 random bits.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const u = new Generator(0).random(); // 0 <= u < 1
   * ```
   */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_NEG_53;
  }

  /**
   * A uniform number in `[0, 1)` with 24 random bits: exactly representable in float32, so it
   * never rounds up to 1 when stored in a `Float32Array` (PyTorch draws float32 uniforms the
   * same way).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const u = new Generator(0).random24(); // 0 <= u < 1
   * ```
   */
  random24(): number {
    return (this.nextUint32() >>> 8) * TWO_POW_NEG_24;
  }

  /**
   * A standard normal sample (mean 0, standard deviation 1) by the Box–Muller transform; the
   * second sample of each pair is cached for the next call.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const z = new Generator(0).normal();
   * ```
   */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = 1 - this.random(); // (0, 1]: log(u1) is finite
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * A uniform integer in `[low, high)`.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const die = new Generator(0).integer(1, 7); // 1..6
   * ```
   */
  integer(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new RangeError(`integer: expected integers low < high, got low=${low}, high=${high}`);
    }
    const range = high - low;
    if (range <= TWO_POW_32) {
      // rejection sampling removes the modulo bias
      const limit = TWO_POW_32 - (TWO_POW_32 % range);
      let u = this.nextUint32();
      while (u >= limit) u = this.nextUint32();
      return low + (u % range);
    }
    return low + Math.floor(this.random() * range);
  }

  /**
   * A random permutation of `0 … n-1` (Fisher–Yates), PyTorch's `randperm`.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const p = new Generator(0).permutation(5); // e.g. [3, 0, 4, 1, 2]
   * ```
   */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`permutation: expected a non-negative integer, got ${n}`);
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

/**
 * The global generator used when no `{ generator }` is passed (PyTorch's default CPU
 * generator).
 *
 * @example
 * ```ts
 * import { defaultGenerator } from '@tensorgrad/tensor';
 * const u = defaultGenerator.random();
 * ```
 */
export const defaultGenerator = new Generator();

/**
 * Seeds the global generator (PyTorch's `torch.manual_seed`) and returns it. Reproducible within
 * tensorgrad; the numbers differ from PyTorch's for the same seed.
 *
 * @example
 * ```ts
 * import { manualSeed, rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * const a = rand([2]);
 * manualSeed(0);
 * const b = rand([2]); // the same values as a
 * ```
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * Checks a `generator` option, returning the default generator when it is absent.
 * @internal
 */
export function resolveGenerator(op: string, generator: unknown): Generator {
  if (generator === undefined || generator === null) return defaultGenerator;
  if (!(generator instanceof Generator)) {
    throw new TypeError(`${op}: expected generator to be a Generator (new Generator().manualSeed(seed)), got ${typeof generator}`);
  }
  return generator;
}
