import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, type CreationOptions, creationOptions } from './tensor.js';

/**
 * `steps` values evenly spaced from `start` to `end`, both included (default dtype float32).
 * Like PyTorch, the first half is computed forward from `start` and the second half backward from
 * `end`, so both ends are exact.
 *
 * @example
 * ```ts
 * import { linspace } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await linspace(0, 1, 5).array(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, end: number, steps: number, options?: CreationOptions): Tensor;
export function linspace(start: number, end: number, steps: number, ...rest: unknown[]): Tensor {
  const options = creationOptions('linspace', rest);
  if (typeof start !== 'number' || typeof end !== 'number') {
    throw new TypeError(`linspace: expected numbers start and end, got ${typeof start} and ${typeof end}`);
  }
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) {
    throw new RangeError(`linspace: expected steps to be a non-negative integer, got ${String(steps)}`);
  }
  const dtype = creationDType('linspace', options.dtype, 'float32');
  return createFilled('linspace', [steps], dtype, options, (d) => {
    if (steps === 1) {
      d[0] = start;
      return;
    }
    // float32 arithmetic for float32 results (PyTorch's step type), double otherwise
    const r = dtype === 'float32' ? Math.fround : (v: number): number => v;
    const s = r(start);
    const e = r(end);
    const step = r(r(e - s) / (steps - 1));
    const halfway = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) {
      const v = i < halfway ? r(s + r(step * i)) : r(e - r(step * (steps - i - 1)));
      d[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
    }
  });
}
