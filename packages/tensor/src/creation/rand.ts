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
 * Fills `data` with uniform samples from `[from, to)` (24 random bits for float32, 53 for float64).
 * @internal
 */
export function fillUniform(data: TypedArray, generator: Generator, from = 0, to = 1): void {
  const span = to - from;
  if (data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) data[i] = from + span * generator.random();
  } else {
    for (let i = 0; i < data.length; i++) data[i] = from + span * generator.random24();
  }
}

/**
 * Fills `data` with normal samples of mean `mean` and standard deviation `std`.
 * @internal
 */
export function fillNormal(data: TypedArray, generator: Generator, mean = 0, std = 1): void {
  for (let i = 0; i < data.length; i++) data[i] = mean + std * generator.normal();
}

/**
 * Uniform random numbers in `[0, 1)`: `rand([2, 3])` or `rand(2, 3)`, optionally followed by
 * `{ dtype, generator, requiresGrad, backend }`. Reproducible with `manualSeed` or a
 * `Generator` (the stream differs from PyTorch's).
 *
 * @example
 * ```ts
 * import { rand, manualSeed } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * manualSeed(0);
 * const u = rand(2, 3); // values in [0, 1)
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
