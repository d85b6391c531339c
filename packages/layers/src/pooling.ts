import {
  adaptiveAvgPool2d,
  avgPool2d,
  maxPool2d,
  type AdaptiveAvgPool2dOptions,
  type AvgPool2dOptions,
  type IntPair,
  type MaxPool2dOptions,
  type Tensor,
} from '@tensorgrad/tensor';
import { Module } from './module.js';

/**
 * 2-D max pooling (PyTorch's `nn.MaxPool2d`); `stride` defaults to `kernelSize`.
 *
 * @example
 * ```ts
 * import { MaxPool2d } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new MaxPool2d(2).call(zeros([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 * ```
 */
export class MaxPool2d extends Module {
  /** Window size. */
  readonly kernelSize: IntPair;
  /** The other options of `maxPool2d`. */
  readonly options: Readonly<Omit<MaxPool2dOptions, 'kernelSize'>>;
  constructor(kernelSize: IntPair, options: Omit<MaxPool2dOptions, 'kernelSize'> = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }
  override forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options);
  }
}

/**
 * 2-D average pooling (PyTorch's `nn.AvgPool2d`); `stride` defaults to `kernelSize`.
 *
 * @example
 * ```ts
 * import { AvgPool2d } from '@tensorgrad/layers';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new AvgPool2d(2).call(ones([1, 1, 2, 2])).array(); // [[[[1]]]]
 * ```
 */
export class AvgPool2d extends Module {
  /** Window size. */
  readonly kernelSize: IntPair;
  /** The other options of `avgPool2d`. */
  readonly options: Readonly<Omit<AvgPool2dOptions, 'kernelSize'>>;
  constructor(kernelSize: IntPair, options: Omit<AvgPool2dOptions, 'kernelSize'> = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }
  override forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, this.options);
  }
}

/**
 * Adaptive 2-D average pooling to a fixed output size (PyTorch's `nn.AdaptiveAvgPool2d`).
 *
 * @example
 * ```ts
 * import { AdaptiveAvgPool2d } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new AdaptiveAvgPool2d([1, 1]).call(zeros([2, 3, 7, 7])).shape; // [2, 3, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** Target `[h, w]` (an int for a square; `null` keeps that input size). */
  readonly outputSize: AdaptiveAvgPool2dOptions['outputSize'];
  constructor(outputSize: AdaptiveAvgPool2dOptions['outputSize']) {
    super();
    this.outputSize = outputSize;
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
}
