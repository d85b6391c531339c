import { empty, getBackend, type DType, type Tensor } from '@tensorgrad/tensor';
import { kaimingUniform_, uniform_, calculateFanInAndFanOut } from './init.js';
import { refuseUnsupported } from './args.js';
import { ownParameter, type Parameter } from './parameter.js';

/** Factory options shared by the layers that create parameters (PyTorch's `device` and `dtype` keywords). */
export interface FactoryOptions {
  /**
   * PyTorch's `device`: only `null` or the current backend's name is accepted (parameters are
   * created on the current backend; move a module with `module.to('webgpu')`).
   */
  device?: string | null;
  /** Floating dtype of the parameters and float buffers (default `'float32'`). */
  dtype?: DType;
}

/** @internal Checks PyTorch's factory keywords: `device` is refused unless null, `dtype` returned. */
export function factoryOptions(layer: string, a: { device?: unknown; dtype?: unknown }): { dtype: DType | undefined } {
  if (a.device !== undefined && a.device !== null) refuseUnsupported(layer, 'device', a.device, [null, getBackend().name], `parameters are created on the current backend; move the module afterwards with .to('${typeof a.device === 'string' ? a.device : 'webgpu'}')`);
  return { dtype: (a.dtype ?? undefined) as DType | undefined };
}

/** @internal Checks a boolean constructor argument (absent or null: `fallback`). */
export function flag(layer: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${layer}: expected ${name} to be a boolean, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  return v;
}

/** @internal Checks a number constructor argument (absent: `fallback`). */
export function num(layer: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${layer}: expected ${name} to be a number, got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  return v;
}

/** @internal Refuses PyTorch's `inplace: true` (tensorgrad's modules never overwrite their input). */
export function refuseInplace(layer: string, v: unknown): void {
  refuseUnsupported(layer, 'inplace', v, [false], 'tensorgrad layers always return a new tensor; drop inplace (the result is the same, only memory use differs)');
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
