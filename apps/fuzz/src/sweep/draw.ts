/**
 * Random pieces the generators share: shapes (ranks 0–4, size-1 and zero-size dims), broadcast
 * partners, layouts, value mixes and dims.
 */
import type { Rng } from '@tensorgrad/conformance';
import type { SweepLayout, SweepValues } from './types.js';

/**
 * One element of `xs`, uniformly.
 *
 * @example
 * ```ts
 * import { pick } from '@tensorgrad/fuzz';
 * pick(() => 0.99, ['a', 'b']); // 'b'
 * ```
 */
export function pick<T>(rng: Rng, xs: readonly T[]): T {
  if (!xs.length) throw new Error('pick: expected a non-empty list, got an empty one');
  return xs[Math.floor(rng() * xs.length)]!;
}

/**
 * An integer in `[lo, hi]`.
 *
 * @example
 * ```ts
 * import { randInt } from '@tensorgrad/fuzz';
 * randInt(() => 0, 2, 5); // 2
 * ```
 */
export function randInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

/** Options of {@link randomShape}. */
export interface ShapeOptions {
  /** Smallest rank (default 0). */
  minRank?: number;
  /** Largest rank (default 4). */
  maxRank?: number;
  /** Largest dim (default 4). */
  maxDim?: number;
  /** Chance of each dim being 0 (default 0.06). */
  zero?: number;
}

/**
 * A random shape: rank in `[minRank, maxRank]`, each dim 1 (a quarter of the time), 0 (`zero`
 * of the time) or in `[2, maxDim]`.
 *
 * @example
 * ```ts
 * import { randomShape } from '@tensorgrad/fuzz';
 * import { seededRng } from '@tensorgrad/conformance';
 * randomShape(seededRng('s'), { minRank: 2, maxRank: 2 }).length; // 2
 * ```
 */
export function randomShape(rng: Rng, options: ShapeOptions = {}): number[] {
  const rank = randInt(rng, options.minRank ?? 0, options.maxRank ?? 4);
  const maxDim = options.maxDim ?? 4;
  const zero = options.zero ?? 0.06;
  return Array.from({ length: rank }, () => {
    const r = rng();
    if (r < zero) return 0;
    if (r < zero + 0.25) return 1;
    return randInt(rng, 2, Math.max(2, maxDim));
  });
}

/**
 * A shape that broadcasts with `shape`: some leading dims dropped, some dims set to 1 (and, now
 * and then when `grow`, the partner has the dims and `shape` the 1s: a size-1 dim of `shape`
 * gets a size; without `grow` the partner broadcasts *to* `shape`).
 *
 * @example
 * ```ts
 * import { broadcastPartner } from '@tensorgrad/fuzz';
 * import { broadcastPair, seededRng } from '@tensorgrad/conformance';
 * const b = broadcastPartner(seededRng('b'), [2, 1, 3]);
 * broadcastPair([2, 1, 3], b).length; // 3
 * ```
 */
export function broadcastPartner(rng: Rng, shape: readonly number[], grow = true): number[] {
  const drop = rng() < 0.4 ? randInt(rng, 0, shape.length) : 0;
  return shape.slice(drop).map((d) => {
    if (d === 1) return grow && rng() < 0.3 ? randInt(rng, 2, 3) : 1;
    return rng() < 0.3 ? 1 : d;
  });
}

/**
 * A layout: contiguous half of the time, else permuted, expanded or sliced.
 *
 * @example
 * ```ts
 * import { randomLayout } from '@tensorgrad/fuzz';
 * randomLayout(() => 0.1); // 'contiguous'
 * ```
 */
export function randomLayout(rng: Rng): SweepLayout {
  return rng() < 0.5 ? 'contiguous' : pick(rng, ['permuted', 'expanded', 'sliced'] as const);
}

/**
 * A value mix for a float input: `domain` (the op's smooth domain) half of the time, else
 * `special` or `ties`.
 *
 * @example
 * ```ts
 * import { floatValues } from '@tensorgrad/fuzz';
 * floatValues(() => 0.1, 'positive'); // 'positive'
 * ```
 */
export function floatValues(rng: Rng, domain: SweepValues = 'normal'): SweepValues {
  const r = rng();
  return r < 0.5 ? domain : r < 0.75 ? 'special' : 'ties';
}

/**
 * A dim of a rank-`rank` tensor, negative (counted from the end) half of the time.
 *
 * @example
 * ```ts
 * import { randomDim } from '@tensorgrad/fuzz';
 * randomDim(() => 0.1, 3); // -3
 * ```
 */
export function randomDim(rng: Rng, rank: number): number {
  const d = randInt(rng, 0, Math.max(0, rank - 1));
  return rng() < 0.5 ? d - rank : d;
}

/**
 * The non-negative form of dim `d` of a rank-`rank` tensor.
 *
 * @example
 * ```ts
 * import { normDim } from '@tensorgrad/fuzz';
 * normDim(-1, 3); // 2
 * ```
 */
export function normDim(d: number, rank: number): number {
  return d < 0 ? d + rank : d;
}
