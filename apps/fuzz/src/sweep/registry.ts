/**
 * Every op generator of the sweeps. Each group of generators lives in its own file and joins here
 * with one import and one spread line.
 */
import { CORE_GENERATORS } from './generators-core.js';
import { NN_GENERATORS } from './generators-nn.js';
import { INDEXING_GENERATORS } from './generators-indexing.js';
import type { OpGenerator } from './types.js';

/**
 * The generators the `ops/<backend>` targets draw from; a seed picks generator `seed % length`.
 *
 * @example
 * ```ts
 * import { SWEEP_GENERATORS } from '@tensorgrad/fuzz';
 * SWEEP_GENERATORS.some((g) => g.op === 'matmul'); // true
 * ```
 */
export const SWEEP_GENERATORS: readonly OpGenerator[] = [
  ...CORE_GENERATORS,
  ...NN_GENERATORS,
  ...INDEXING_GENERATORS,
];

/**
 * The ops some generator sweeps.
 *
 * @example
 * ```ts
 * import { sweptOps } from '@tensorgrad/fuzz';
 * sweptOps().has('add'); // true
 * ```
 */
export function sweptOps(): Set<string> {
  return new Set(SWEEP_GENERATORS.map((g) => g.op));
}
