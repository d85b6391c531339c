import { decodeGoldenScalar, seededRng, type GoldenTensor, type HostTensor, type Rng } from '@tensorgrad/conformance';
import { isFloating } from 'tensorgrad';

/**
 * A fixture tensor as host values (typed array of its dtype).
 *
 * @example
 * ```ts
 * import { goldenToHost } from '@tensorgrad/crosscheck';
 * goldenToHost({ shape: [2], dtype: 'float32', data: [0.5, 'NaN'] }).data; // Float32Array [0.5, NaN]
 * ```
 */
export function goldenToHost(t: GoldenTensor): HostTensor {
  const values = t.data.map(decodeGoldenScalar);
  const data =
    t.dtype === 'float32' ? Float32Array.from(values) : t.dtype === 'float64' ? Float64Array.from(values) : t.dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
  return { shape: [...t.shape], dtype: t.dtype, data };
}

/**
 * Whether the random variants keep input `t` as it is: integer and bool tensors (indices, masks,
 * class targets), and float tensors that are all integers (comparison ties, exponents) or hold a
 * NaN or an infinity (the special-value cases), whose values are the point of the case.
 *
 * @example
 * ```ts
 * import { keepsValues } from '@tensorgrad/crosscheck';
 * keepsValues({ shape: [2], dtype: 'float32', data: [0.5, -1.25] }); // false
 * keepsValues({ shape: [2], dtype: 'float32', data: [0, Infinity] }); // true
 * keepsValues({ shape: [2], dtype: 'int32', data: [3, 1] }); // true
 * ```
 */
export function keepsValues(t: HostTensor): boolean {
  if (!isFloating(t.dtype)) return true;
  let allInt = true;
  for (let i = 0; i < t.data.length; i++) {
    const v = t.data[i]!;
    if (!Number.isFinite(v)) return true;
    if (!Number.isInteger(v)) allInt = false;
  }
  return allInt;
}

/**
 * A random variant of a float input that keeps its domain: each element is scaled by a random
 * factor in [0.5, 1.5], then moved by noise of up to 1e-3 of the tensor's mean magnitude, unless
 * that would change its sign (zeros stay zero, positives positive, negatives negative). Inputs
 * that {@link keepsValues} are returned unchanged. Values are rounded to float32 so that float32
 * and float64 runs see the same inputs.
 *
 * @example
 * ```ts
 * import { perturb } from '@tensorgrad/crosscheck';
 * import { seededRng } from '@tensorgrad/conformance';
 * const x = { shape: [3], dtype: 'float32' as const, data: Float32Array.of(2, -0.5, 0) };
 * const y = perturb(x, seededRng('demo'));
 * [y.data[0] >= 0.99 && y.data[0] <= 3.01, y.data[1] < 0, y.data[2]]; // [true, true, 0]
 * ```
 */
export function perturb(t: HostTensor, rng: Rng): HostTensor {
  if (keepsValues(t)) return t;
  const n = t.data.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += Math.abs(t.data[i]!);
  mean = n ? mean / n : 0;
  const data = t.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = t.data[i]!;
    const scaled = v * (0.5 + rng());
    const noisy = scaled + (2 * rng() - 1) * 1e-3 * mean;
    data[i] = Math.fround(Math.sign(noisy) === Math.sign(v) ? noisy : scaled);
  }
  return { shape: t.shape, dtype: t.dtype, data };
}

/**
 * A seeded random upstream gradient of `shape` and float `dtype`: uniform in [−1, 1], rounded to float32.
 *
 * @example
 * ```ts
 * import { randomGradient } from '@tensorgrad/crosscheck';
 * import { seededRng } from '@tensorgrad/conformance';
 * const g = randomGradient([2, 2], 'float32', seededRng('g'));
 * [g.data.length, Math.max(...g.data) <= 1]; // [4, true]
 * ```
 */
export function randomGradient(shape: readonly number[], dtype: 'float32' | 'float64', rng: Rng): HostTensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(2 * rng() - 1);
  return { shape: [...shape], dtype, data };
}

/**
 * The random source of one variant of one case, from the run's seed: the same seed gives the same
 * inputs and gradients whatever else runs.
 *
 * @example
 * ```ts
 * import { variantRng } from '@tensorgrad/crosscheck';
 * variantRng(0, 'exp/basic/float32', 1)() === variantRng(0, 'exp/basic/float32', 1)(); // true
 * ```
 */
export function variantRng(seed: number, caseId: string, variant: number): Rng {
  return seededRng(`crosscheck:${seed}:${caseId}:${variant}`);
}
