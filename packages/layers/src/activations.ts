import { gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { refuseInplace } from './common.js';
import { Module } from './module.js';

const RELU = signature('new ReLU', ['inplace']);
const LEAKY_RELU = signature('new LeakyReLU', ['negativeSlope', 'inplace']);
const SIGMOID = signature('new Sigmoid', []);
const TANH = signature('new Tanh', []);
const GELU_SIG = signature('new GELU', ['approximate']);
const SOFTMAX = signature('new Softmax', ['dim']);
const LOG_SOFTMAX = signature('new LogSoftmax', ['dim']);

/** Options of {@link ReLU} (PyTorch's `inplace`, accepted only as `false`). */
export interface ReLUOptions {
  /** PyTorch's `inplace`: only `false` (the default) is supported. */
  inplace?: false;
}

/**
 * `max(0, x)` (PyTorch's `nn.ReLU`).
 *
 * @example
 * ```ts
 * import { ReLU } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new ReLU().call(tensor([-1, 2])).array(); // [0, 2]
 * await new ReLU(false).call(tensor([-1, 2])).array(); // [0, 2]
 * ```
 */
export class ReLU extends Module {
  /** PyTorch's `ReLU(inplace=False)`; `inplace: true` is refused. */
  constructor(inplace?: false, options?: ReLUOptions);
  constructor(options?: ReLUOptions);
  constructor(...args: unknown[]) {
    super();
    refuseInplace('ReLU', parseArgs(RELU, args).inplace);
  }
  override forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions {
  /** Slope for negative inputs (default 0.01). */
  negativeSlope?: number;
  /** PyTorch's `inplace`: only `false` (the default) is supported. */
  inplace?: false;
}

/**
 * `x` for x ≥ 0, `negativeSlope · x` otherwise (PyTorch's `nn.LeakyReLU`).
 *
 * @example
 * ```ts
 * import { LeakyReLU } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new LeakyReLU({ negativeSlope: 0.5 }).call(tensor([-2, 2])).array(); // [-1, 2]
 * // PyTorch's positional form: LeakyReLU(0.2)
 * await new LeakyReLU(0.2).call(tensor([-5, 5])).array(); // [-1, 5]
 * ```
 */
export class LeakyReLU extends Module {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;
  /** PyTorch's `LeakyReLU(negative_slope=0.01, inplace=False)`, positionally… */
  constructor(negativeSlope?: number, inplace?: false, options?: LeakyReLUOptions);
  /** …or by name. */
  constructor(options?: LeakyReLUOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(LEAKY_RELU, args);
    refuseInplace('LeakyReLU', a.inplace);
    const slope = a.negativeSlope ?? 0.01;
    if (typeof slope !== 'number' || Number.isNaN(slope)) throw new TypeError(`LeakyReLU: expected negativeSlope to be a number, got ${String(slope)}`);
    this.negativeSlope = slope;
  }
  override forward(input: Tensor): Tensor {
    return leakyRelu(input, { negativeSlope: this.negativeSlope });
  }
}

/**
 * Logistic sigmoid (PyTorch's `nn.Sigmoid`).
 *
 * @example
 * ```ts
 * import { Sigmoid } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new Sigmoid().call(tensor([0])).array(); // [0.5]
 * ```
 */
export class Sigmoid extends Module {
  /** PyTorch's `Sigmoid()`: no arguments. */
  constructor(...args: []) {
    super();
    parseArgs(SIGMOID, args);
  }
  override forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/**
 * Hyperbolic tangent (PyTorch's `nn.Tanh`).
 *
 * @example
 * ```ts
 * import { Tanh } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new Tanh().call(tensor([0])).array(); // [0]
 * ```
 */
export class Tanh extends Module {
  /** PyTorch's `Tanh()`: no arguments. */
  constructor(...args: []) {
    super();
    parseArgs(TANH, args);
  }
  override forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** Options of {@link GELU}. */
export interface GELUOptions {
  /** `'none'` (exact, default) or `'tanh'` (approximation). */
  approximate?: 'none' | 'tanh';
}

/**
 * Gaussian error linear unit (PyTorch's `nn.GELU`).
 *
 * @example
 * ```ts
 * import { GELU } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new GELU().call(tensor([0])).array(); // [0]
 * new GELU('tanh').approximate; // 'tanh'
 * ```
 */
export class GELU extends Module {
  /** The approximation used. */
  readonly approximate: 'none' | 'tanh';
  /** PyTorch's `GELU(approximate='none')`, positionally or by name. */
  constructor(approximate?: 'none' | 'tanh', options?: GELUOptions);
  constructor(options?: GELUOptions);
  constructor(...args: unknown[]) {
    super();
    const approximate = parseArgs(GELU_SIG, args).approximate ?? 'none';
    if (approximate !== 'none' && approximate !== 'tanh') throw new RangeError(`GELU: expected approximate to be 'none' or 'tanh', got ${String(approximate)}`);
    this.approximate = approximate;
  }
  override forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }
}

/** Options of {@link Softmax} and {@link LogSoftmax}. */
export interface SoftmaxLayerOptions {
  /** The dim to normalise over (required, as PyTorch recommends). */
  dim: number;
}

function dimOf(layer: string, dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim)) throw new TypeError(`${layer}: expected dim to be an integer (new ${layer}(1) or { dim: 1 }), got ${String(dim)}`);
  return dim;
}

/**
 * Softmax over `dim` (PyTorch's `nn.Softmax(dim)`).
 *
 * @example
 * ```ts
 * import { Softmax } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new Softmax({ dim: 1 }).call(tensor([[1, 1]])).array(); // [[0.5, 0.5]]
 * ```
 */
export class Softmax extends Module {
  /** The normalised dim. */
  readonly dim: number;
  /** PyTorch's `Softmax(dim)`, positionally or by name. */
  constructor(dim: number);
  constructor(options: SoftmaxLayerOptions);
  constructor(...args: unknown[]) {
    super();
    this.dim = dimOf('Softmax', parseArgs(SOFTMAX, args).dim);
  }
  override forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }
}

/**
 * Log-softmax over `dim` (PyTorch's `nn.LogSoftmax(dim)`).
 *
 * @example
 * ```ts
 * import { LogSoftmax } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new LogSoftmax(1).call(tensor([[0, 0]])).exp().array(); // [[0.5, 0.5]]
 * ```
 */
export class LogSoftmax extends Module {
  /** The normalised dim. */
  readonly dim: number;
  /** PyTorch's `LogSoftmax(dim)`, positionally or by name. */
  constructor(dim: number);
  constructor(options: SoftmaxLayerOptions);
  constructor(...args: unknown[]) {
    super();
    this.dim = dimOf('LogSoftmax', parseArgs(LOG_SOFTMAX, args).dim);
  }
  override forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}
