/**
 * The pieces every conformance check shares: a seeded random source, a per-check context that
 * creates inputs (contiguous or as strided views) and disposes everything the check created, and
 * the comparison of a tensor with a float64 reference.
 */
import { memory, Tensor, type Backend, type DType } from '@tensorgrad/tensor';
import { fromArray } from '@tensorgrad/tensor/backend';
import { compareHost, toleranceFor, type Tolerance, type ToleranceKind } from './compare.js';
import { build, at, type Nd } from './reference.js';

/** A seeded uniform random source in [0, 1). */
export type Rng = () => number;

/**
 * A deterministic random source (mulberry32) seeded from a string (a check's id), so each check
 * sees the same inputs whatever runs before it.
 *
 * @example
 * ```ts
 * import { seededRng } from '@tensorgrad/conformance';
 * const r = seededRng('add/broadcast');
 * r() === seededRng('add/broadcast')(); // true
 * ```
 */
export function seededRng(seed: string): Rng {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws one input element. */
export type Gen = (rng: Rng) => number;

/**
 * Uniform values in `[lo, hi)`.
 *
 * @example
 * ```ts
 * import { uniform, seededRng } from '@tensorgrad/conformance';
 * const v = uniform(1, 2)(seededRng('x')); // 1 <= v < 2
 * ```
 */
export function uniform(lo: number, hi: number): Gen {
  return (rng) => lo + (hi - lo) * rng();
}

/**
 * Values of magnitude in `[lo, hi)` with a random sign (away from 0, e.g. divisors, `abs` inputs).
 *
 * @example
 * ```ts
 * import { awayFromZero, seededRng } from '@tensorgrad/conformance';
 * Math.abs(awayFromZero(0.5, 2)(seededRng('x'))) >= 0.5; // true
 * ```
 */
export function awayFromZero(lo: number, hi: number): Gen {
  return (rng) => (rng() < 0.5 ? -1 : 1) * (lo + (hi - lo) * rng());
}

/**
 * Values drawn from a small set (so comparisons and arg-reductions meet ties).
 *
 * @example
 * ```ts
 * import { choice, seededRng } from '@tensorgrad/conformance';
 * [0, 1].includes(choice([0, 1])(seededRng('x'))); // true
 * ```
 */
export function choice(values: readonly number[]): Gen {
  return (rng) => values[Math.floor(rng() * values.length)]!;
}

/** How an input is laid out in storage: contiguous, a permuted view (reversed dims) or an expanded view. */
export type Layout = 'contiguous' | 'permuted' | 'expanded';

/** Options of {@link CheckContext.input}. */
export interface InputOptions {
  layout?: Layout;
  gen?: Gen;
  dtype?: DType;
}

/** An input tensor with its logical values as a float64 reference array. */
export interface RefInput {
  t: Tensor;
  ref: Nd;
}

type AnyFn = (...args: unknown[]) => unknown;

/**
 * What one conformance check gets: the backend, the dtype under test, a seeded random source and
 * helpers; every tensor made through it is disposed when the check ends.
 *
 * @example
 * ```ts
 * import * as tg from '@tensorgrad/tensor';
 * import { CheckContext, seededRng } from '@tensorgrad/conformance';
 * import '@tensorgrad/backend-cpu';
 * const ctx = new CheckContext(tg.getBackend(), 'float64', seededRng('demo'), tg);
 * const x = ctx.input([2, 3], { layout: 'permuted' });
 * x.t.isContiguous(); // false
 * const y = ctx.call('neg', x.t);
 * await ctx.check(y, { shape: x.ref.shape, data: x.ref.data.map((v) => -v) }, 'float64', 'elementwise');
 * ctx.disposeAll();
 * ```
 */
export class CheckContext {
  private readonly owned = new Set<Tensor>();

  constructor(
    readonly backend: Backend,
    readonly dtype: DType,
    readonly rng: Rng,
    readonly ops: Readonly<Record<string, unknown>>,
  ) {}

  /** Registers `t` (or each tensor of an array / `{values, indices}`) for disposal at the end of the check. */
  track<T>(value: T): T {
    if (value instanceof Tensor) this.owned.add(value);
    else if (Array.isArray(value)) value.forEach((v) => this.track(v));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => v instanceof Tensor && this.owned.add(v));
    return value;
  }

  /** Disposes every tracked tensor (inputs, outputs, views). */
  disposeAll(): void {
    for (const t of this.owned) t.dispose();
    this.owned.clear();
  }

  /** Calls the free function `op` with `args` and tracks its result. */
  call<T = Tensor>(op: string, ...args: unknown[]): T {
    const fn = this.ops[op];
    if (typeof fn !== 'function') throw new Error(`conformance: '${op}' is not exported by @tensorgrad/tensor`);
    return this.track((fn as AnyFn)(...args) as T);
  }

  /** A contiguous tensor holding `ref`'s values in `dtype`. */
  fromNd(ref: Nd, dtype: DType = this.dtype): Tensor {
    const arr =
      dtype === 'float64' ? Float64Array.from(ref.data) : dtype === 'float32' ? Float32Array.from(ref.data) : dtype === 'int32' ? Int32Array.from(ref.data) : Uint8Array.from(ref.data);
    return this.track(fromArray(this.backend, arr, ref.shape, dtype));
  }

  /**
   * A random input of logical shape `shape`; `layout` makes it a strided view (the values in
   * `ref` are the logical ones). Float values are rounded to float32 so that the float32 and
   * float64 runs see the same inputs.
   */
  input(shape: readonly number[], options: InputOptions = {}): RefInput {
    const dtype = options.dtype ?? this.dtype;
    const gen = options.gen ?? uniform(-3, 3);
    const draw = (): number => {
      const v = gen(this.rng);
      return dtype === 'bool' ? Number(v !== 0) : dtype === 'int32' ? Math.trunc(v) : Math.fround(v);
    };
    const layout = options.layout ?? 'contiguous';
    if (layout === 'permuted') {
      if (shape.length < 2) throw new Error('conformance: a permuted input needs at least 2 dimensions');
      const rev = [...shape].reverse();
      const base = build(rev, () => draw());
      const dims = shape.map((_, i) => shape.length - 1 - i);
      const t = this.call<Tensor>('permute', this.fromNd(base, dtype), { dims });
      const ref = build(shape, (idx) => at(base, [...idx].reverse()));
      return { t, ref };
    }
    if (layout === 'expanded') {
      const d = shape.findIndex((s) => s > 1);
      if (d < 0) throw new Error('conformance: an expanded input needs a dimension larger than 1');
      const baseShape = shape.map((s, i) => (i === d ? 1 : s));
      const base = build(baseShape, () => draw());
      const t = this.call<Tensor>('expand', this.fromNd(base, dtype), { size: [...shape] });
      const ref = build(shape, (idx) => at(base, idx.map((v, i) => (i === d ? 0 : v))));
      return { t, ref };
    }
    const ref = build(shape, () => draw());
    return { t: this.fromNd(ref, dtype), ref };
  }

  /**
   * Reads `out` and compares it with the float64 reference `ref` as a tensor of dtype `dtype`
   * (float32 references are rounded to float32 first: that is the best a float32 op can return).
   */
  async check(out: Tensor, ref: Nd, dtype: DType, tol: Tolerance | ToleranceKind, label = 'output'): Promise<void> {
    if (!(out instanceof Tensor)) throw new Error(`${label}: expected a Tensor, got ${String(out)}`);
    const t = typeof tol === 'string' ? toleranceFor(dtype, tol) : tol;
    const data = await out.data();
    const expected = dtype === 'float32' ? Float32Array.from(ref.data) : ref.data;
    const msg = compareHost({ shape: out.shape, dtype: out.dtype, data }, { shape: ref.shape, dtype, data: expected }, t);
    if (msg !== null) throw new Error(`${label}: ${msg}`);
  }
}

/**
 * Runs `body` with a fresh {@link CheckContext}, disposes everything it tracked, and checks that
 * the backend holds as many tensors afterwards as before (no leak).
 *
 * @example
 * ```ts
 * import { runChecked, seededRng } from '@tensorgrad/conformance';
 * import * as tg from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await runChecked(tg.getBackend(), 'float32', seededRng('demo'), tg, async (ctx) => {
 *   const { t } = ctx.input([2]);
 *   t.shape; // [2]
 * });
 * ```
 */
export async function runChecked(
  backend: Backend,
  dtype: DType,
  rng: Rng,
  ops: Readonly<Record<string, unknown>>,
  body: (ctx: CheckContext) => Promise<void> | void,
): Promise<void> {
  const before = memory(backend.name).numTensors;
  const ctx = new CheckContext(backend, dtype, rng, ops);
  try {
    await body(ctx);
  } finally {
    ctx.disposeAll();
  }
  const after = memory(backend.name).numTensors;
  if (after !== before) {
    throw new Error(`memory: ${after - before} tensor(s) leaked on backend '${backend.name}' (numTensors ${before} before, ${after} after disposing everything the check created)`);
  }
}
