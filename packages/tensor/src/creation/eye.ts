import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, type CreationOptions } from './tensor.js';

/**
 * The `n × m` identity matrix (`m` defaults to `n`): ones on the main diagonal, zeros elsewhere.
 *
 * @example
 * ```ts
 * import { eye } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await eye(2).array(); // [[1, 0], [0, 1]]
 * eye(2, 3).shape; // [2, 3]
 * ```
 */
export function eye(n: number, options?: CreationOptions): Tensor;
export function eye(n: number, m: number, options?: CreationOptions): Tensor;
export function eye(n: number, mOrOptions?: number | CreationOptions, maybeOptions: CreationOptions = {}): Tensor {
  const m = typeof mOrOptions === 'number' ? mOrOptions : n;
  const options = typeof mOrOptions === 'object' && mOrOptions !== null ? mOrOptions : maybeOptions;
  for (const [name, v] of [['n', n], ['m', m]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new RangeError(`eye: expected ${name} to be a non-negative integer, got ${String(v)}`);
    }
  }
  const dtype = creationDType('eye', options.dtype, 'float32');
  return createFilled('eye', [n, m], dtype, options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}
