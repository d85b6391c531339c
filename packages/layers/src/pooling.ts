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
import { parseArgs, refuseUnsupported, signature } from './args.js';
import { Module } from './module.js';

const MAX_POOL2D = signature('new MaxPool2d', ['kernelSize', 'stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'], { required: 1 });
const AVG_POOL2D = signature('new AvgPool2d', ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], { required: 1 });
const ADAPTIVE_AVG_POOL2D = signature('new AdaptiveAvgPool2d', ['outputSize'], { required: 1 });

/** Options of {@link MaxPool2d} (PyTorch's keywords). */
export interface MaxPool2dLayerOptions extends Omit<MaxPool2dOptions, 'kernelSize'> {
  /** PyTorch's `return_indices`: only `false` (the default) is supported by the layer. */
  returnIndices?: false;
}

// the options that are given, without the absent ones (null stride means "the kernel size")
function given<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * 2-D max pooling (PyTorch's `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1,
 * return_indices=False, ceil_mode=False)`); `stride` defaults to `kernelSize`.
 *
 * @example
 * ```ts
 * import { MaxPool2d } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * new MaxPool2d(2).call(zeros([1, 3, 8, 8])).shape; // [1, 3, 4, 4]
 * // PyTorch's positional form: MaxPool2d(3, 1) is a 3×3 window with stride 1
 * new MaxPool2d(3, 1).call(zeros([1, 3, 8, 8])).shape; // [1, 3, 6, 6]
 * new MaxPool2d(3, { stride: 1, padding: 1 }).call(zeros([1, 3, 8, 8])).shape; // [1, 3, 8, 8]
 * ```
 */
export class MaxPool2d extends Module {
  /** Window size. */
  readonly kernelSize: IntPair;
  /** The other options of `maxPool2d`. */
  readonly options: Readonly<Omit<MaxPool2dOptions, 'kernelSize'>>;
  /** The window size positionally, the other options by name… */
  constructor(kernelSize: IntPair, options?: MaxPool2dLayerOptions);
  /** …or positionally in PyTorch's order (`new MaxPool2d(3, 1)`: stride 1)… */
  constructor(
    kernelSize: IntPair,
    stride?: IntPair | null,
    padding?: IntPair,
    dilation?: IntPair,
    returnIndices?: false,
    ceilMode?: boolean,
    options?: MaxPool2dLayerOptions,
  );
  /** …or everything by name. */
  constructor(options: MaxPool2dLayerOptions & { kernelSize: IntPair });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(MAX_POOL2D, args);
    refuseUnsupported('MaxPool2d', 'returnIndices', a.returnIndices, [false], 'the layer returns the pooled values only; call maxPool2d(x, …) for the indices once it supports them');
    this.kernelSize = a.kernelSize as IntPair;
    this.options = given({ stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode } as MaxPool2dOptions);
  }
  override forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options);
  }
}

/**
 * 2-D average pooling (PyTorch's `nn.AvgPool2d(kernel_size, stride=None, padding=0,
 * ceil_mode=False, count_include_pad=True, divisor_override=None)`); `stride` defaults to
 * `kernelSize`.
 *
 * @example
 * ```ts
 * import { AvgPool2d } from '@tensorgrad/layers';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new AvgPool2d(2).call(ones([1, 1, 2, 2])).array(); // [[[[1]]]]
 * new AvgPool2d(3, 1).call(ones([1, 1, 8, 8])).shape; // [1, 1, 6, 6]
 * ```
 */
export class AvgPool2d extends Module {
  /** Window size. */
  readonly kernelSize: IntPair;
  /** The other options of `avgPool2d`. */
  readonly options: Readonly<Omit<AvgPool2dOptions, 'kernelSize'>>;
  /** The window size positionally, the other options by name… */
  constructor(kernelSize: IntPair, options?: Omit<AvgPool2dOptions, 'kernelSize'>);
  /** …or positionally in PyTorch's order… */
  constructor(
    kernelSize: IntPair,
    stride?: IntPair | null,
    padding?: IntPair,
    ceilMode?: boolean,
    countIncludePad?: boolean,
    divisorOverride?: number | null,
    options?: Omit<AvgPool2dOptions, 'kernelSize'>,
  );
  /** …or everything by name. */
  constructor(options: AvgPool2dOptions & { kernelSize: IntPair });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(AVG_POOL2D, args);
    this.kernelSize = a.kernelSize as IntPair;
    this.options = given({
      stride: a.stride,
      padding: a.padding,
      ceilMode: a.ceilMode,
      countIncludePad: a.countIncludePad,
      divisorOverride: a.divisorOverride,
    } as AvgPool2dOptions);
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
 * new AdaptiveAvgPool2d({ outputSize: 2 }).call(zeros([2, 3, 7, 7])).shape; // [2, 3, 2, 2]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** Target `[h, w]` (an int for a square; `null` keeps that input size). */
  readonly outputSize: AdaptiveAvgPool2dOptions['outputSize'];
  /** PyTorch's `AdaptiveAvgPool2d(output_size)`, positionally or by name. */
  constructor(outputSize: AdaptiveAvgPool2dOptions['outputSize']);
  constructor(options: { outputSize: AdaptiveAvgPool2dOptions['outputSize'] });
  constructor(...args: unknown[]) {
    super();
    this.outputSize = parseArgs(ADAPTIVE_AVG_POOL2D, args).outputSize as AdaptiveAvgPool2dOptions['outputSize'];
  }
  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
}
