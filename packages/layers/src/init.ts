import { isFloating, noGrad, type Generator, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';

const CALCULATE_GAIN = signature('init.calculateGain', ['nonlinearity', 'param'], { required: 1 });
const FAN = signature('init.calculateFanInAndFanOut', ['tensor'], { required: 1 });
const UNIFORM = signature('init.uniform_', ['tensor', 'a', 'b', 'generator'], { required: 1 });
const NORMAL = signature('init.normal_', ['tensor', 'mean', 'std', 'generator'], { required: 1 });
const CONSTANT = signature('init.constant_', ['tensor', 'val'], { required: 2 });
const ZEROS = signature('init.zeros_', ['tensor'], { required: 1 });
const ONES = signature('init.ones_', ['tensor'], { required: 1 });
const KAIMING_UNIFORM = signature('init.kaimingUniform_', ['tensor', 'a', 'mode', 'nonlinearity', 'generator'], { required: 1 });
const KAIMING_NORMAL = signature('init.kaimingNormal_', ['tensor', 'a', 'mode', 'nonlinearity', 'generator'], { required: 1 });
const XAVIER_UNIFORM = signature('init.xavierUniform_', ['tensor', 'gain', 'generator'], { required: 1 });
const XAVIER_NORMAL = signature('init.xavierNormal_', ['tensor', 'gain', 'generator'], { required: 1 });

function number(op: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${op}: expected ${name} to be a number, got ${String(v)}`);
  return v;
}

function tensorArg(op: string, t: unknown): Tensor {
  if (t === null || typeof t !== 'object' || typeof (t as Tensor).shape !== 'object') {
    throw new TypeError(`${op}: expected a Tensor as the first argument, got ${t === null ? 'null' : typeof t}`);
  }
  return t as Tensor;
}

function gen(g: unknown): InitOptions {
  return g === undefined || g === null ? {} : { generator: g as Generator };
}

/** Nonlinearity names accepted by {@link calculateGain} (PyTorch's strings; camelCase aliases accepted). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

/** Fan mode of the Kaiming initialisers: PyTorch's `'fan_in'` / `'fan_out'` (or `'fanIn'` / `'fanOut'`). */
export type FanMode = 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';

/** Options shared by the random initialisers. */
export interface InitOptions {
  /** Random source (default: the global generator, seeded by `manualSeed`). */
  generator?: Generator;
}

/** Options of {@link kaimingUniform_} and {@link kaimingNormal_}. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier after this layer (only with `leaky_relu`; default 0). */
  a?: number;
  /** Preserve the variance of the forward (`'fan_in'`, default) or backward (`'fan_out'`) pass. */
  mode?: FanMode;
  /** The nonlinearity after this layer (default `'leaky_relu'`). */
  nonlinearity?: Nonlinearity;
}

/** Options of {@link xavierUniform_} and {@link xavierNormal_}. */
export interface XavierOptions extends InitOptions {
  /** Scaling factor (default 1). */
  gain?: number;
}

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear/conv/sigmoid,
 * 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (`param` = slope, default 0.01),
 * 3/4 for selu.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * init.calculateGain('relu'); // Math.SQRT2
 * init.calculateGain('tanh'); // 5 / 3
 * init.calculateGain('leaky_relu', 1); // 1
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number;
export function calculateGain(options: { nonlinearity: Nonlinearity; param?: number }): number;
export function calculateGain(...args: unknown[]): number {
  const a = parseArgs(CALCULATE_GAIN, args);
  const nonlinearity = a.nonlinearity as Nonlinearity;
  const param = (a.param ?? undefined) as number | undefined;
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`calculateGain: expected the negative slope to be a number, got ${String(param)}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'; expected one of linear, conv2d, sigmoid, tanh, relu, leaky_relu, selu`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight (PyTorch's `_calculate_fan_in_and_fan_out`): for `[out, in, …k]`,
 * fanIn = in × ∏k and fanOut = out × ∏k. Needs at least 2 dims.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * init.calculateFanInAndFanOut(zeros([64, 3, 3, 3])); // [27, 576]
 * ```
 */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number];
export function calculateFanInAndFanOut(...args: unknown[]): [number, number] {
  const tensor = tensorArg('init.calculateFanInAndFanOut', parseArgs(FAN, args).tensor);
  if (tensor.ndim < 2) {
    throw new RangeError(`calculateFanInAndFanOut: fan in and fan out need a tensor with at least 2 dims, got shape [${tensor.shape.join(', ')}]`);
  }
  const receptive = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.shape[1]! * receptive, tensor.shape[0]! * receptive];
}

function checkFloat(op: string, t: Tensor): void {
  if (!isFloating(t.dtype)) throw new TypeError(`${op}: expected a floating-point tensor, got ${t.dtype}; initialise float32/float64 tensors only`);
}

function fan(op: string, t: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  if (mode === 'fan_in' || mode === 'fanIn') return fanIn;
  if (mode === 'fan_out' || mode === 'fanOut') return fanOut;
  throw new RangeError(`${op}: expected mode 'fan_in' or 'fan_out', got '${String(mode)}'`);
}

/**
 * Fills `tensor` in place with samples of U(a, b) (no gradient recorded); returns it.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const v = await init.uniform_(zeros([100]), -2, -1).array();
 * v.every((x) => x >= -2 && x < -1); // true
 * (await init.uniform_(zeros([100]), { a: 3, b: 4 }).array()).every((x) => x >= 3 && x < 4); // true
 * ```
 */
export function uniform_<T extends Tensor>(tensor: T, a?: number, b?: number, generator?: Generator | InitOptions): T;
export function uniform_<T extends Tensor>(tensor: T, options: InitOptions & { a?: number; b?: number }): T;
export function uniform_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const p = parseArgs(UNIFORM, [tensor, ...rest]);
  tensorArg('init.uniform_', tensor);
  checkFloat('uniform_', tensor);
  const a = number('init.uniform_', 'a', p.a, 0);
  const b = number('init.uniform_', 'b', p.b, 1);
  noGrad(() => tensor.uniform_(a, b, gen(p.generator)));
  return tensor;
}

/**
 * Fills `tensor` in place with samples of N(mean, std²); returns it.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * init.normal_(zeros([2, 2]), 0, 0.01).shape; // [2, 2]
 * init.normal_(zeros([2, 2]), { std: 0.01 }).shape; // [2, 2]
 * ```
 */
export function normal_<T extends Tensor>(tensor: T, mean?: number, std?: number, generator?: Generator | InitOptions): T;
export function normal_<T extends Tensor>(tensor: T, options: InitOptions & { mean?: number; std?: number }): T;
export function normal_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const p = parseArgs(NORMAL, [tensor, ...rest]);
  tensorArg('init.normal_', tensor);
  checkFloat('normal_', tensor);
  const mean = number('init.normal_', 'mean', p.mean, 0);
  const std = number('init.normal_', 'std', p.std, 1);
  noGrad(() => tensor.normal_(mean, std, gen(p.generator)));
  return tensor;
}

/**
 * Fills `tensor` with `value` in place; returns it.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await init.constant_(zeros([2]), 0.5).array(); // [0.5, 0.5]
 * ```
 */
export function constant_<T extends Tensor>(tensor: T, val: number): T;
export function constant_<T extends Tensor>(tensor: T, options: { val: number }): T;
export function constant_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const val = parseArgs(CONSTANT, [tensor, ...rest]).val;
  tensorArg('init.constant_', tensor);
  if (typeof val !== 'number' && typeof val !== 'boolean') throw new TypeError(`init.constant_: expected val to be a number, got ${String(val)}`);
  noGrad(() => tensor.fill_(val as number));
  return tensor;
}

/**
 * Fills `tensor` with zeros in place; returns it.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await init.zeros_(ones([2])).array(); // [0, 0]
 * ```
 */
export function zeros_<T extends Tensor>(tensor: T): T;
export function zeros_<T extends Tensor>(...args: [T]): T {
  return constant_(parseArgs(ZEROS, args).tensor as T, 0);
}

/**
 * Fills `tensor` with ones in place; returns it.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await init.ones_(zeros([2])).array(); // [1, 1]
 * ```
 */
export function ones_<T extends Tensor>(tensor: T): T;
export function ones_<T extends Tensor>(...args: [T]): T {
  return constant_(parseArgs(ONES, args).tensor as T, 1);
}

/**
 * Kaiming (He) uniform initialisation: U(−bound, bound) with
 * `bound = gain × √(3 / fan)`, `gain = calculateGain(nonlinearity, a)` (PyTorch's
 * `kaiming_uniform_`). Returns `tensor`.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const w = init.kaimingUniform_(zeros([10, 6]), { nonlinearity: 'relu' }); // bound √2·√(3/6) = 1
 * (await w.array()).flat().every((x) => Math.abs(x) <= 1); // true
 * ```
 */
export function kaimingUniform_<T extends Tensor>(tensor: T, options?: KaimingOptions): T;
export function kaimingUniform_<T extends Tensor>(tensor: T, a?: number, mode?: FanMode, nonlinearity?: Nonlinearity, generator?: Generator | KaimingOptions): T;
export function kaimingUniform_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const p = parseArgs(KAIMING_UNIFORM, [tensor, ...rest]);
  tensorArg('init.kaimingUniform_', tensor);
  const gain = calculateGain(p.nonlinearity as Nonlinearity | undefined ?? 'leaky_relu', number('init.kaimingUniform_', 'a', p.a, 0));
  const std = gain / Math.sqrt(fan('kaimingUniform_', tensor, (p.mode as FanMode | undefined) ?? 'fan_in'));
  const bound = Math.sqrt(3) * std;
  return uniform_(tensor, -bound, bound, gen(p.generator));
}

/**
 * Kaiming (He) normal initialisation: N(0, std²) with `std = gain / √fan` (PyTorch's
 * `kaiming_normal_`). Returns `tensor`.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * init.kaimingNormal_(zeros([4, 3]), { mode: 'fan_out', nonlinearity: 'relu' }).shape; // [4, 3]
 * init.kaimingNormal_(zeros([4, 3]), 0, 'fan_out', 'relu').shape; // [4, 3]
 * ```
 */
export function kaimingNormal_<T extends Tensor>(tensor: T, options?: KaimingOptions): T;
export function kaimingNormal_<T extends Tensor>(tensor: T, a?: number, mode?: FanMode, nonlinearity?: Nonlinearity, generator?: Generator | KaimingOptions): T;
export function kaimingNormal_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const p = parseArgs(KAIMING_NORMAL, [tensor, ...rest]);
  tensorArg('init.kaimingNormal_', tensor);
  const gain = calculateGain(p.nonlinearity as Nonlinearity | undefined ?? 'leaky_relu', number('init.kaimingNormal_', 'a', p.a, 0));
  const std = gain / Math.sqrt(fan('kaimingNormal_', tensor, (p.mode as FanMode | undefined) ?? 'fan_in'));
  return normal_(tensor, 0, std, gen(p.generator));
}

/**
 * Xavier (Glorot) uniform initialisation: U(−a, a) with `a = gain × √(6 / (fanIn + fanOut))`.
 * Returns `tensor`.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const w = init.xavierUniform_(zeros([3, 3])); // a = √(6/6) = 1
 * (await w.array()).flat().every((x) => Math.abs(x) <= 1); // true
 * ```
 */
export function xavierUniform_<T extends Tensor>(tensor: T, options?: XavierOptions): T;
export function xavierUniform_<T extends Tensor>(tensor: T, gain?: number, generator?: Generator | XavierOptions): T;
export function xavierUniform_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const p = parseArgs(XAVIER_UNIFORM, [tensor, ...rest]);
  tensorArg('init.xavierUniform_', tensor);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const a = number('init.xavierUniform_', 'gain', p.gain, 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(tensor, -a, a, gen(p.generator));
}

/**
 * Xavier (Glorot) normal initialisation: N(0, std²) with `std = gain × √(2 / (fanIn + fanOut))`.
 * Returns `tensor`.
 *
 * @example
 * ```ts
 * import { init } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * init.xavierNormal_(zeros([3, 5]), { gain: 2 }).shape; // [3, 5]
 * init.xavierNormal_(zeros([3, 5]), 2).shape; // [3, 5]
 * ```
 */
export function xavierNormal_<T extends Tensor>(tensor: T, options?: XavierOptions): T;
export function xavierNormal_<T extends Tensor>(tensor: T, gain?: number, generator?: Generator | XavierOptions): T;
export function xavierNormal_<T extends Tensor>(tensor: T, ...rest: unknown[]): T {
  const p = parseArgs(XAVIER_NORMAL, [tensor, ...rest]);
  tensorArg('init.xavierNormal_', tensor);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = number('init.xavierNormal_', 'gain', p.gain, 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal_(tensor, 0, std, gen(p.generator));
}
