/**
 * Seedable pseudo-random numbers for `rand`, `randn`, `randint`, `randperm`, `uniform_`,
 * `normal_`, dropout, layer initialisation and data shuffling.
 *
 * The default algorithm, `'mt19937'`, is PyTorch's CPU generator: the Mersenne Twister seeded like
 * `torch.manual_seed`, with PyTorch 1.13's sampling rules (24-bit float32 and 53-bit float64
 * uniforms, the vectorised Box–Muller of `normal_` for 16 or more elements and the scalar one with
 * its cached second sample below that, `random() % range` integers, `randperm`'s shuffle). With
 * the same seed, shapes, dtypes and call order the numbers are PyTorch's, bit for bit (float32
 * normals follow the AVX2 kernels that x86-64 builds of PyTorch run).
 *
 * `'xoshiro128**'` is the earlier tensorgrad generator, kept as an option: a different stream
 * (not PyTorch's), slightly faster for normal samples.
 */
import { fma64, fmaf, Mt19937, normalFill, TWO_POW_NEG_24, TWO_POW_NEG_53 } from './random-kernels.js';
import type { TypedArray } from './dtype.js';

/** PyTorch's default seed of its CPU generator, used as the default seed here too. */
const DEFAULT_SEED = 67280421310721;

const TWO_POW_32 = 4294967296;
const TWO_POW_64 = 2n ** 64n;

/** The algorithms a {@link Generator} can run: PyTorch's Mersenne Twister (default) or xoshiro128**. */
export type GeneratorAlgorithm = 'mt19937' | 'xoshiro128**';

/** Options of the {@link Generator} constructor. */
export interface GeneratorOptions {
  /**
   * `'mt19937'` (default): PyTorch's CPU generator and sampling, the same numbers as PyTorch for
   * the same seed. `'xoshiro128**'`: tensorgrad's earlier generator, a different stream.
   */
  algorithm?: GeneratorAlgorithm;
}

/** Options of the random in-place fills (`uniform_`, `normal_`). */
export interface RandomFillOptions {
  /** The generator to draw from; default the global one (seeded with `manualSeed`). */
  generator?: Generator;
}

/** The state of an `'mt19937'` {@link Generator}, as returned by `getState()`. */
export interface Mt19937State {
  readonly algorithm: 'mt19937';
  /** The seed last set with `manualSeed` (or the initial one). */
  readonly seed: number | bigint;
  /** The 624 words of the Mersenne Twister. */
  readonly words: readonly number[];
  /** Draws left before the words are regenerated (1 to 624). */
  readonly left: number;
  /** Index of the next word (0 to 624). */
  readonly next: number;
  /** The cached second sample of the scalar Box–Muller (PyTorch's `next_double_normal_sample`), or `null`. */
  readonly spare: number | null;
}

/** The state of an `'xoshiro128**'` {@link Generator}, as returned by `getState()`. */
export interface Xoshiro128State {
  /** `'xoshiro128**'`; may be left out. */
  readonly algorithm?: 'xoshiro128**';
  /** The seed last set with `manualSeed` (or the initial one). */
  readonly seed: number | bigint;
  /** The four 32-bit words of the xoshiro128** state. */
  readonly words: readonly [number, number, number, number];
  /** The cached second Box–Muller sample, or `null`. */
  readonly spare: number | null;
}

/** The internal state of a {@link Generator}, as returned by `getState()`. */
export type GeneratorState = Mt19937State | Xoshiro128State;

function toSeed(op: string, seed: unknown): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= TWO_POW_64) {
      throw new RangeError(`${op}: expected a seed in [0, 2^64) like torch.manual_seed, got ${seed}; reduce it, e.g. seed % 2n ** 64n`);
    }
    return seed;
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0) {
    throw new RangeError(`${op}: expected a non-negative integer seed (a number or bigint), got ${String(seed)}`);
  }
  if (seed > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${op}: seed ${seed} is larger than Number.MAX_SAFE_INTEGER; pass a bigint for large seeds`);
  }
  return BigInt(seed);
}

/** A seed as given back by `initialSeed()`: a number when it is a safe integer. */
function seedValue(seed: bigint): number | bigint {
  return seed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(seed) : seed;
}

/** What both algorithms provide; {@link Generator} forwards to one of them. */
interface Source {
  seed(seed: bigint): void;
  nextUint32(): number;
  random(): number;
  random24(): number;
  normal(): number;
  integer(low: number, high: number): number;
  permutation(n: number): number[];
  fillUniform(data: TypedArray, from: number, to: number): void;
  fillNormal(data: TypedArray, mean: number, std: number, vectorised: boolean): void;
}

/** PyTorch's CPU generator and sampling (see the module comment). */
class TorchSource implements Source {
  readonly mt = new Mt19937();
  /** PyTorch's `next_double_normal_sample`. */
  spare: number | null = null;

  seed(seed: bigint): void {
    this.mt.seed(Number(seed & 0xffffffffn));
    this.spare = null;
  }

  nextUint32(): number {
    return this.mt.nextUint32();
  }

  random(): number {
    return this.mt.nextDouble();
  }

  random24(): number {
    return this.mt.nextFloat();
  }

  normal(): number {
    // at::normal_distribution<double>: the first uniform gives the angle, the second the radius
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = this.mt.nextDouble();
    const u2 = this.mt.nextDouble();
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  integer(low: number, high: number): number {
    const range = high - low;
    if (range < TWO_POW_32) return (this.mt.nextUint32() % range) + low;
    return Number(this.mt.nextUint64() % BigInt(range)) + low;
  }

  permutation(n: number): number[] {
    // randperm_cpu: a forward Fisher–Yates swap of i with i + random() % (n - i)
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < n - 1; i++) {
      const z = i + (this.mt.nextUint32() % (n - i));
      const t = p[i]!;
      p[i] = p[z]!;
      p[z] = t;
    }
    return p;
  }

  fillUniform(data: TypedArray, from: number, to: number): void {
    const mt = this.mt;
    if (data instanceof Float64Array) {
      const span = to - from;
      if (from === 0 && span === 1) for (let i = 0; i < data.length; i++) data[i] = mt.nextDouble();
      else for (let i = 0; i < data.length; i++) data[i] = fma64(mt.nextDouble(), span, from);
      return;
    }
    // float32: from and to rounded to float32, x * (to - from) + from fused into one FMA
    const a = Math.fround(from);
    const span = Math.fround(Math.fround(to) - a);
    if (a === 0 && span === 1 && data instanceof Float32Array) {
      mt.fillFloat(data, 0, data.length);
    } else {
      for (let i = 0; i < data.length; i++) data[i] = fmaf((mt.nextUint32() & 0xffffff) * TWO_POW_NEG_24, span, a);
    }
  }

  fillNormal(data: TypedArray, mean: number, std: number, vectorised: boolean): void {
    if (vectorised && data.length >= 16 && (data instanceof Float32Array || data instanceof Float64Array)) {
      normalFill(data, this.mt, mean, std);
      return;
    }
    for (let i = 0; i < data.length; i++) data[i] = fma64(this.normal(), std, mean);
  }
}

/** tensorgrad's earlier generator: xoshiro128** seeded through splitmix32, its own sampling. */
class XoshiroSource implements Source {
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  spare: number | null = null;

  seed(seed: bigint): void {
    const s = Number(seed % 2n ** 53n);
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
  }

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

  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_NEG_53;
  }

  random24(): number {
    return (this.nextUint32() >>> 8) * TWO_POW_NEG_24;
  }

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

  integer(low: number, high: number): number {
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

  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(0, i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  fillUniform(data: TypedArray, from: number, to: number): void {
    const span = to - from;
    if (data instanceof Float64Array) for (let i = 0; i < data.length; i++) data[i] = from + span * this.random();
    else for (let i = 0; i < data.length; i++) data[i] = from + span * this.random24();
  }

  fillNormal(data: TypedArray, mean: number, std: number): void {
    for (let i = 0; i < data.length; i++) data[i] = mean + std * this.normal();
  }
}

function checkAlgorithm(op: string, algorithm: unknown): GeneratorAlgorithm {
  if (algorithm === undefined || algorithm === 'mt19937' || algorithm === 'xoshiro128**') return algorithm ?? 'mt19937';
  throw new RangeError(`${op}: unknown algorithm ${String(algorithm)}; expected 'mt19937' (PyTorch's generator, the default) or 'xoshiro128**'`);
}

/**
 * A seedable random number generator, PyTorch's `torch.Generator`. Pass one as `{ generator }` to
 * `rand`, `randn`, `randint`, `randperm`, `uniform_`, `normal_`, dropout, the `init` functions, …
 * to draw from a stream independent of the global one. The default algorithm `'mt19937'` gives
 * PyTorch's numbers for the same seed; `{ algorithm: 'xoshiro128**' }` selects tensorgrad's earlier,
 * slightly faster generator (a different stream).
 *
 * @example
 * ```ts
 * import { Generator, rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const g = new Generator().manualSeed(42);
 * const a = rand([3], { generator: g }); // torch.rand(3, generator=torch.Generator().manual_seed(42))
 * g.manualSeed(42);
 * const b = rand([3], { generator: g }); // the same values as a
 * const fast = new Generator(42, { algorithm: 'xoshiro128**' }); // not PyTorch's stream
 * ```
 */
export class Generator {
  /** The algorithm this generator runs (`'mt19937'` unless chosen otherwise). */
  readonly algorithm: GeneratorAlgorithm;
  private readonly source: TorchSource | XoshiroSource;
  private _seed = BigInt(DEFAULT_SEED);

  /**
   * Creates a generator seeded with `seed` (default: PyTorch's default seed 67280421310721).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * new Generator(0).nextUint32(); // 2357136044, PyTorch's first draw after manual_seed(0)
   * ```
   */
  constructor(seed: number | bigint = DEFAULT_SEED, options: GeneratorOptions = {}) {
    this.algorithm = checkAlgorithm('Generator', options?.algorithm);
    this.source = this.algorithm === 'mt19937' ? new TorchSource() : new XoshiroSource();
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the generator (a non-negative integer below 2^64; the Mersenne Twister uses its low
   * 32 bits, like PyTorch) and returns it.
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
    this.source.seed(s);
    return this;
  }

  /**
   * The seed the generator was last seeded with (a bigint only for seeds above 2^53).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * new Generator(3).initialSeed(); // 3
   * ```
   */
  initialSeed(): number | bigint {
    return seedValue(this._seed);
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
    const seed = seedValue(this._seed);
    const src = this.source;
    if (src instanceof TorchSource) {
      return { algorithm: 'mt19937', seed, words: Array.from(src.mt.words, (v) => v >>> 0), left: src.mt.left, next: src.mt.next, spare: src.spare };
    }
    return { algorithm: 'xoshiro128**', seed, words: [src.s0, src.s1, src.s2, src.s3], spare: src.spare };
  }

  /**
   * Restores a state from {@link Generator.getState} of a generator of the same algorithm;
   * returns the generator.
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
    const algorithm = (state as { algorithm?: unknown } | null)?.algorithm ?? 'xoshiro128**';
    if (algorithm !== this.algorithm) {
      throw new TypeError(
        `setState: expected the state of a '${this.algorithm}' generator, got one of '${String(algorithm)}'; restore it into new Generator(0, { algorithm: '${String(algorithm)}' })`,
      );
    }
    const w = state.words;
    if (!Array.isArray(w)) throw new TypeError(`setState: expected a state returned by getState(), with its words, got ${JSON.stringify(state)}`);
    const seed = toSeed('setState', state.seed);
    const spare = state.spare ?? null;
    const src = this.source;
    if (src instanceof TorchSource) {
      const s = state as Mt19937State;
      if (!Array.isArray(w) || w.length !== 624 || !w.every((v) => Number.isInteger(v)) || !(s.left >= 1 && s.left <= 624) || !(s.next >= 0 && s.next <= 624)) {
        throw new TypeError("setState: expected a state returned by getState(): { algorithm: 'mt19937', seed, words: [624 integers], left, next, spare }");
      }
      src.mt.words.set(w);
      src.mt.left = s.left;
      src.mt.next = s.next;
      src.spare = spare;
    } else {
      if (!Array.isArray(w) || w.length !== 4 || !w.every((v) => Number.isInteger(v))) {
        throw new TypeError('setState: expected a state returned by getState(): { seed, words: [4 integers], spare }');
      }
      if ((w[0] | w[1] | w[2] | w[3]) === 0) throw new RangeError('setState: the all-zero state is invalid for xoshiro128**');
      src.s0 = w[0] | 0;
      src.s1 = w[1] | 0;
      src.s2 = w[2] | 0;
      src.s3 = w[3] | 0;
      src.spare = spare;
    }
    this._seed = seed;
    return this;
  }

  /**
   * The next 32 random bits as an unsigned integer in `[0, 2^32)` (PyTorch's `random()`).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const u = new Generator(0).nextUint32(); // an integer in [0, 4294967296)
   * ```
   */
  nextUint32(): number {
    return this.source.nextUint32();
  }

  /**
   * A uniform double in `[0, 1)` with 53 random bits (PyTorch's float64 uniform: two draws).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const u = new Generator(0).random(); // 0 <= u < 1
   * ```
   */
  random(): number {
    return this.source.random();
  }

  /**
   * A uniform number in `[0, 1)` with 24 random bits: exactly representable in float32, so it
   * never rounds up to 1 when stored in a `Float32Array` (PyTorch's float32 uniform: one draw).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const u = new Generator(0).random24(); // 0 <= u < 1
   * ```
   */
  random24(): number {
    return this.source.random24();
  }

  /**
   * A standard normal sample (mean 0, standard deviation 1) by the Box–Muller transform; the
   * second sample of each pair is cached for the next call (PyTorch's scalar normal path).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const z = new Generator(0).normal();
   * ```
   */
  normal(): number {
    return this.source.normal();
  }

  /**
   * A uniform integer in `[low, high)`. With `'mt19937'` it is PyTorch's `random_(low, high)`:
   * `low + random() % (high - low)` (64-bit draws for ranges of 2^32 or more).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const die = new Generator(0).integer(1, 7); // 1..6
   * ```
   */
  integer(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
      throw new RangeError(`integer: expected safe integers low < high, got low=${low}, high=${high}`);
    }
    return this.source.integer(low, high);
  }

  /**
   * A random permutation of `0 … n-1`, PyTorch's `randperm(n)` with `'mt19937'` (a Fisher–Yates
   * shuffle swapping position `i` with `i + random() % (n - i)`).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * new Generator(0).permutation(6); // [1, 3, 5, 4, 2, 0], as torch.randperm(6) after manual_seed(0)
   * ```
   */
  permutation(n: number): number[] {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`permutation: expected a non-negative integer, got ${n}`);
    return this.source.permutation(n);
  }

  /**
   * Fills `data` with uniform samples from `[from, to)` as PyTorch's `uniform_` does for a tensor
   * of that dtype (24 bits per float32, 53 per float64); integer arrays get the truncated samples.
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const a = new Float32Array(4);
   * new Generator(0).fillUniform(a, -1, 1); // torch.empty(4).uniform_(-1, 1) after manual_seed(0)
   * ```
   */
  fillUniform(data: TypedArray, from = 0, to = 1): void {
    this.source.fillUniform(data, from, to);
  }

  /**
   * Fills `data` with normal samples of mean `mean` and standard deviation `std` as PyTorch's
   * `normal_` does for a contiguous tensor of that dtype and size (the vectorised path for 16 or
   * more floating elements, the scalar one otherwise; `vectorised: false` forces the scalar path,
   * which PyTorch takes for non-contiguous tensors).
   *
   * @example
   * ```ts
   * import { Generator } from '@tensorgrad/tensor';
   * const a = new Float32Array(20);
   * new Generator(0).fillNormal(a); // torch.randn(20) after manual_seed(0)
   * ```
   */
  fillNormal(data: TypedArray, mean = 0, std = 1, options: { vectorised?: boolean } = {}): void {
    this.source.fillNormal(data, mean, std, options.vectorised ?? true);
  }
}

/**
 * The global generator used when no `{ generator }` is passed (PyTorch's default CPU
 * generator; algorithm `'mt19937'`, seeded with PyTorch's default seed until `manualSeed`).
 *
 * @example
 * ```ts
 * import { defaultGenerator } from '@tensorgrad/tensor';
 * const u = defaultGenerator.random();
 * ```
 */
export const defaultGenerator = new Generator();

/**
 * Seeds the global generator (PyTorch's `torch.manual_seed`) and returns it. After
 * `manualSeed(s)`, `rand`, `randn`, `randint`, `randperm`, the in-place fills and layer
 * initialisation draw the numbers PyTorch draws after `torch.manual_seed(s)`.
 *
 * @example
 * ```ts
 * import { manualSeed, rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * const a = rand([2]); // [0.4962566, 0.7682218], as torch.rand(2) after torch.manual_seed(0)
 * manualSeed(0);
 * const b = rand([2]); // the same values as a
 * ```
 */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * PyTorch's `torch.random` module for the global generator: `manualSeed`, `seed`, `initialSeed`,
 * `getRngState`, `setRngState`.
 *
 * @example
 * ```ts
 * import { random, rand } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * random.manualSeed(0); // torch.random.manual_seed(0)
 * const state = random.getRngState();
 * const a = rand([3]);
 * random.setRngState(state);
 * const b = rand([3]); // the same values as a
 * random.initialSeed(); // 0
 * ```
 */
export const random = {
  /** Seeds the global generator (`torch.random.manual_seed`); returns it. */
  manualSeed,
  /** Seeds the global generator non-deterministically and returns the seed (`torch.random.seed`). */
  seed: (): number => defaultGenerator.seed(),
  /** The global generator's seed (`torch.random.initial_seed`). */
  initialSeed: (): number | bigint => defaultGenerator.initialSeed(),
  /** A copy of the global generator's state (`torch.random.get_rng_state`). */
  getRngState: (): GeneratorState => defaultGenerator.getState(),
  /** Restores the global generator's state (`torch.random.set_rng_state`). */
  setRngState: (state: GeneratorState): void => {
    defaultGenerator.setState(state);
  },
} as const;

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
