import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, type CreationOptions, creationOptions } from './tensor.js';

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
export function eye(n: number, ...args: unknown[]): Tensor {
  // torch.eye(n, m=None, *, dtype, requires_grad, …)
  const [mArg, ...rest] = typeof args[0] === 'number' || args[0] === null ? args : [undefined, ...args];
  const m = (mArg ?? n) as number;
  const options = creationOptions('eye', rest);
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
