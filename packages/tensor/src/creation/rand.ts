import { isFloating, type DType, type TypedArray } from '../dtype.js';
import { resolveGenerator, type Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { createFilled, creationDType, parseSizeArgs, type CreationOptions } from './tensor.js';

/** Options of the random creation functions. */
export interface RandomOptions extends CreationOptions {
  /** The generator to draw from; default the global one (seeded with `manualSeed`). */
  generator?: Generator;
}

/**
 * Checks that a random function produces a floating dtype.
 * @internal
 */
export function floatingDType(op: string, dtype: unknown, fallback: DType = 'float32'): DType {
  const d = creationDType(op, dtype, fallback);
  if (!isFloating(d)) {
    throw new TypeError(`${op}: expected a floating-point dtype (float32 or float64), got ${d}; use randint for integers`);
  }
  return d;
}

/**
 * Fills `data` with uniform samples from `[from, to)` the way PyTorch's `uniform_` does for that
 * dtype (24 random bits per float32, 53 per float64).
 * @internal
 */
export function fillUniform(data: TypedArray, generator: Generator, from = 0, to = 1): void {
  generator.fillUniform(data, from, to);
}

/**
 * Fills `data` with normal samples of mean `mean` and standard deviation `std` the way PyTorch's
 * `normal_` does for a tensor of that dtype and size (`contiguous: false` takes PyTorch's scalar
 * path for non-contiguous tensors).
 * @internal
 */
export function fillNormal(data: TypedArray, generator: Generator, mean = 0, std = 1, contiguous = true): void {
  generator.fillNormal(data, mean, std, { vectorised: contiguous });
}

/**
 * Uniform random numbers in `[0, 1)`: `rand([2, 3])` or `rand(2, 3)`, optionally followed by
 * `{ dtype, generator, requiresGrad, backend }`. After `manualSeed(s)` the values are PyTorch's
 * `torch.rand` after `torch.manual_seed(s)`, bit for bit.
 *
 * @example
 * ```ts
 * import { rand, manualSeed } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * const u = rand(2, 3); // [[0.4963, 0.7682, 0.0885], [0.1320, 0.3074, 0.6341]], as in PyTorch
 * u.shape; // [2, 3]
 * ```
 */
export function rand(shape: readonly number[], options?: RandomOptions): Tensor;
export function rand(...sizes: [...number[], RandomOptions] | number[]): Tensor;
export function rand(...args: unknown[]): Tensor {
  const { shape, options } = parseSizeArgs<RandomOptions>('rand', args, true);
  const dtype = floatingDType('rand', options.dtype);
  const g = resolveGenerator('rand', options.generator);
  return createFilled('rand', shape, dtype, options, (d) => fillUniform(d, g));
}
