import { resolveGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { fillNormal, floatingDType, type RandomOptions } from './rand.js';
import { createFilled, parseSizeArgs } from './tensor.js';

/**
 * Standard normal random numbers (mean 0, std 1): `randn([2, 3])` or `randn(2, 3)`, optionally
 * followed by `{ dtype, generator, requiresGrad, backend }`. After `manualSeed(s)` the values are
 * PyTorch's `torch.randn` after `torch.manual_seed(s)`, bit for bit (PyTorch's vectorised
 * Box–Muller from 16 elements on, its scalar one with a cached second sample below).
 *
 * @example
 * ```ts
 * import { randn, Generator } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const z = randn([4], { generator: new Generator(1) });
 * z.shape; // [4]
 * ```
 */
export function randn(shape: readonly number[], options?: RandomOptions): Tensor;
export function randn(...sizes: [...number[], RandomOptions] | number[]): Tensor;
export function randn(...args: unknown[]): Tensor {
  const { shape, options } = parseSizeArgs<RandomOptions>('randn', args, true);
  const dtype = floatingDType('randn', options.dtype);
  const g = resolveGenerator('randn', options.generator);
  return createFilled('randn', shape, dtype, options, (d) => fillNormal(d, g));
}
