import { empty, type DType, type Tensor } from '@tensorgrad/tensor';
import { kaimingUniform_, uniform_, calculateFanInAndFanOut } from './init.js';
import { ownParameter, type Parameter } from './parameter.js';

/** Factory options shared by the layers that create parameters (PyTorch's `dtype` keyword). */
export interface FactoryOptions {
  /** Floating dtype of the parameters and float buffers (default `'float32'`). */
  dtype?: DType;
}

/** @internal An uninitialised floating parameter of `shape`. */
export function newParameter(shape: readonly number[], dtype: DType | undefined): Parameter {
  return ownParameter(empty([...shape], { dtype: dtype ?? 'float32' }));
}

/** @internal PyTorch's default init of Linear/Conv weights and biases (`reset_parameters`). */
export function resetLinearLike(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

/** @internal Checks a positive integer constructor argument. */
export function positiveInt(layer: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new TypeError(`${layer}: expected ${name} to be a positive integer, got ${String(v)}`);
  }
  return v;
}

/** @internal Normalises an int or `[h, w]` pair. */
export function pair(v: number | readonly number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0]!, v[1] ?? v[0]!];
}
