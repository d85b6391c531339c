import { resolveGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import type { RandomOptions } from './rand.js';
import { createFilled, creationDType, creationOptions } from './tensor.js';

/** The largest `n` whose values each dtype holds exactly (PyTorch's check for float dtypes). */
const MAX_N: Record<string, number> = { int32: 2 ** 31, float32: 2 ** 24 + 1, float64: 2 ** 53 + 1 };

/**
 * A random permutation of `0 … n-1` (PyTorch's `randperm(n)`), default dtype int32 (PyTorch's is
 * int64; the values are the same). After `manualSeed(s)` the permutation is PyTorch's after
 * `torch.manual_seed(s)`: a Fisher–Yates shuffle swapping position `i` with `i + random() % (n - i)`.
 * Options: `{ dtype, generator, requiresGrad, backend }`.
 *
 * @example
 * ```ts
 * import { manualSeed, randperm, Generator } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * await randperm(6).array(); // [1, 3, 5, 4, 2, 0], as torch.randperm(6) after torch.manual_seed(0)
 * randperm(4, { dtype: 'float32', generator: new Generator(1) }).dtype; // 'float32'
 * ```
 */
export function randperm(n: number, options?: RandomOptions): Tensor;
export function randperm(n: unknown, ...rest: unknown[]): Tensor {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`randperm: expected n to be a non-negative integer, got ${String(n)}`);
  }
  const options = creationOptions<RandomOptions>('randperm', rest, true);
  const dtype = creationDType('randperm', options.dtype, 'int32');
  if (dtype === 'bool') throw new TypeError("randperm: expected a numeric dtype (int32, float32 or float64), got bool; use the default 'int32'");
  if (n > MAX_N[dtype]!) {
    throw new RangeError(`randperm: n=${n} is too large for dtype ${dtype}, whose integers are exact only up to ${MAX_N[dtype]! - 1}; pass { dtype: 'float64' }`);
  }
  const g = resolveGenerator('randperm', options.generator);
  return createFilled('randperm', [n], dtype, options, (d) => {
    const p = g.permutation(n);
    for (let i = 0; i < n; i++) d[i] = p[i]!;
  });
}
