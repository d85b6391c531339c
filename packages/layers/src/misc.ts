import { dropout, flatten, interpolate, type InterpolateOptions, type Tensor } from '@tensorgrad/tensor';
import { Module } from './module.js';

/** Options of {@link Dropout}. */
export interface DropoutLayerOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
}

/**
 * Dropout (PyTorch's `nn.Dropout`): in training mode zeroes elements with probability `p` and
 * scales the rest by `1 / (1 - p)`; the identity in eval mode. `new Dropout(0.25)` or
 * `new Dropout({ p: 0.25 })`.
 *
 * @example
 * ```ts
 * import { Dropout } from '@tensorgrad/layers';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const drop = new Dropout(0.25);
 * await drop.eval().call(ones([3])).array(); // [1, 1, 1]
 * ```
 */
export class Dropout extends Module {
  /** Drop probability. */
  readonly p: number;
  constructor(p: number | DropoutLayerOptions = {}) {
    super();
    const v = typeof p === 'number' ? p : (p?.p ?? 0.5);
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`Dropout: expected probability p to be between 0 and 1, got ${String(v)}`);
    this.p = v;
  }
  override forward(input: Tensor): Tensor {
    return dropout(input, { p: this.p, training: this.training });
  }
}

/** Options of {@link Flatten}. */
export interface FlattenLayerOptions {
  /** First dim to flatten (default 1: keeps the batch dim). */
  startDim?: number;
  /** Last dim to flatten (default -1). */
  endDim?: number;
}

/**
 * Flattens dims `startDim..endDim` (PyTorch's `nn.Flatten`, default from dim 1).
 *
 * @example
 * ```ts
 * import { Flatten } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new Flatten().call(zeros([2, 3, 4, 4])).shape; // [2, 48]
 * ```
 */
export class Flatten extends Module {
  /** First flattened dim. */
  readonly startDim: number;
  /** Last flattened dim. */
  readonly endDim: number;
  constructor(options: FlattenLayerOptions = {}) {
    super();
    this.startDim = options.startDim ?? 1;
    this.endDim = options.endDim ?? -1;
  }
  override forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }
}

/**
 * Returns its input unchanged (PyTorch's `nn.Identity`).
 *
 * @example
 * ```ts
 * import { Identity } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([1, 2]);
 * new Identity().call(x) === x; // true
 * ```
 */
export class Identity extends Module {
  override forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * Up-sampling by `scaleFactor` or to `size` (PyTorch's `nn.Upsample`; `mode` `'nearest'`
 * (default) or `'bilinear'`, `alignCorners`).
 *
 * @example
 * ```ts
 * import { Upsample } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new Upsample({ scaleFactor: 2 }).call(zeros([1, 3, 4, 4])).shape; // [1, 3, 8, 8]
 * ```
 */
export class Upsample extends Module {
  /** The options passed to `interpolate`. */
  readonly options: Readonly<InterpolateOptions>;
  constructor(options: InterpolateOptions = {}) {
    super();
    if (options.size === undefined && options.scaleFactor === undefined) {
      throw new TypeError('Upsample: expected either size or scaleFactor, got neither; e.g. new Upsample({ scaleFactor: 2 })');
    }
    this.options = { ...options };
  }
  override forward(input: Tensor): Tensor {
    return interpolate(input, this.options);
  }
}
