import { gelu, leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh, type Tensor } from '@tensorgrad/tensor';
import { Module } from './module.js';

/**
 * `max(0, x)` (PyTorch's `nn.ReLU`).
 *
 * @example
 * ```ts
 * import { ReLU } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new ReLU().call(tensor([-1, 2])).array(); // [0, 2]
 * ```
 */
export class ReLU extends Module {
  override forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions {
  /** Slope for negative inputs (default 0.01). */
  negativeSlope?: number;
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
 * ```
 */
export class LeakyReLU extends Module {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;
  constructor(options: LeakyReLUOptions = {}) {
    super();
    this.negativeSlope = options.negativeSlope ?? 0.01;
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
 * ```
 */
export class GELU extends Module {
  /** The approximation used. */
  readonly approximate: 'none' | 'tanh';
  constructor(options: GELUOptions = {}) {
    super();
    this.approximate = options.approximate ?? 'none';
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

function dimOf(layer: string, arg: number | SoftmaxLayerOptions): number {
  const dim = typeof arg === 'number' ? arg : arg?.dim;
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
  constructor(options: SoftmaxLayerOptions | number) {
    super();
    this.dim = dimOf('Softmax', options);
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
  constructor(options: SoftmaxLayerOptions | number) {
    super();
    this.dim = dimOf('LogSoftmax', options);
  }
  override forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }
}
