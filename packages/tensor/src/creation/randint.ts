import { resolveGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import type { RandomOptions } from './rand.js';
import { checkShape, createFilled, creationDType, creationOptions } from './tensor.js';

/**
 * Uniform random integers in `[low, high)` (PyTorch's `randint(low, high, size)`), or in
 * `[0, high)` with `randint(high, size)`. Default dtype int32 (PyTorch's is int64; the values are
 * the same). After `manualSeed(s)` the values are PyTorch's: `low + random() % (high - low)`.
 *
 * @example
 * ```ts
 * import { manualSeed, randint } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * randint(0, 10, [6]); // [3, 6, 9, 1, 7, 3], as torch.randint(0, 10, (6,)) after torch.manual_seed(0)
 * const dice = randint(1, 7, [10]); // ten values in 1..6
 * const labels = randint(10, [4]); // four values in 0..9
 * ```
 */
export function randint(low: number, high: number, shape: readonly number[], options?: RandomOptions): Tensor;
export function randint(high: number, shape: readonly number[], options?: RandomOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  let low: unknown = 0;
  let high: unknown;
  let shape: unknown;
  // randint(high, shape, …) or randint(low, high, shape, …); the rest are keyword options
  const n = Array.isArray(args[1]) ? 2 : 3;
  if (n === 2) [high, shape] = args;
  else [low, high, shape] = args;
  const options = creationOptions<RandomOptions>('randint', args.slice(n), true);
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isInteger(low) || !Number.isInteger(high)) {
    throw new TypeError(`randint: expected integer bounds randint(low, high, shape) or randint(high, shape), got low=${String(low)}, high=${String(high)}`);
  }
  if (high <= low) throw new RangeError(`randint: expected low < high, got low=${low}, high=${high}; the range [low, high) is empty`);
  const dims = checkShape('randint', shape);
  const dtype = creationDType('randint', options.dtype, 'int32');
  if (dtype === 'int32' && (low < -(2 ** 31) || high > 2 ** 31)) {
    throw new RangeError(`randint: bounds [${low}, ${high}) do not fit in int32; pass { dtype: 'float64' } for larger integers`);
  }
  const g = resolveGenerator('randint', options.generator);
  return createFilled('randint', dims, dtype, options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = g.integer(low as number, high as number);
  });
}
