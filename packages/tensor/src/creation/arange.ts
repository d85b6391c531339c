import { isFloating } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, type CreationOptions, creationOptions } from './tensor.js';

/**
 * Values from `start` (default 0) up to but excluding `end`, spaced by `step` (default 1):
 * `arange(end)`, `arange(start, end)`, `arange(start, end, step)`, each optionally followed by
 * `{ dtype, requiresGrad, backend }`. As in PyTorch the result is an integer tensor (int32 here)
 * when every argument is an integer, else float32; the length is `ceil((end - start) / step)`.
 *
 * @example
 * ```ts
 * import { arange } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await arange(4).array(); // [0, 1, 2, 3]
 * await arange(1, 2, 0.25).array(); // [1, 1.25, 1.5, 1.75]
 * arange(3).dtype; // 'int32'
 * ```
 */
export function arange(end: number, options?: CreationOptions): Tensor;
export function arange(start: number, end: number, options?: CreationOptions): Tensor;
export function arange(start: number, end: number, step: number, options?: CreationOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  let options: CreationOptions = {};
  let nums = args;
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null) {
    options = creationOptions('arange', [last]);
    nums = args.slice(0, -1);
  }
  if (nums.length < 1 || nums.length > 3 || !nums.every((v) => typeof v === 'number')) {
    throw new TypeError(
      `arange: expected arange(end), arange(start, end) or arange(start, end, step) with numbers, then an optional options object; got (${args.map((a) => JSON.stringify(a)).join(', ')})`,
    );
  }
  const [start, end, step] = nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, (nums[2] as number | undefined) ?? 1];
  if (![start, end, step].every(Number.isFinite)) {
    throw new RangeError(`arange: start, end and step must be finite, got start=${start}, end=${end}, step=${step}`);
  }
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  if ((step > 0 && end < start) || (step < 0 && end > start)) {
    throw new RangeError(
      `arange: upper bound and larger bound inconsistent with step sign: start=${start}, end=${end}, step=${step}; ` +
        'use a negative step to count down',
    );
  }
  const allInt = [start, end, step].every(Number.isInteger);
  const dtype = creationDType('arange', options.dtype, allInt ? 'int32' : 'float32');
  const n = Math.ceil((end - start) / step);
  if (dtype === 'int32' && (Math.abs(start) >= 2 ** 31 || Math.abs(start + (n - 1) * step) >= 2 ** 31)) {
    throw new RangeError(`arange: values from ${start} to ${end} do not fit in int32; pass { dtype: 'float64' }`);
  }
  // PyTorch computes start + i * step in double (its CPU accumulation type) and rounds once
  return createFilled('arange', [n], dtype, options, (d) => {
    if (isFloating(dtype) || dtype === 'int32') {
      for (let i = 0; i < n; i++) d[i] = start + i * step;
    } else {
      for (let i = 0; i < n; i++) d[i] = start + i * step !== 0 ? 1 : 0;
    }
  });
}
