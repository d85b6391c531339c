import {
  adaptiveAvgPool2d,
  avgPool2d,
  maxPool2d,
  maxUnpool2d,
  type MaxUnpool2dOptions,
  type ValuesIndices,
  type AdaptiveAvgPool2dOptions,
  type AvgPool2dOptions,
  type IntPair,
  type MaxPool2dOptions,
  type Tensor,
} from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from './args.js';
import { Module } from './module.js';
import { flag } from './common.js';

const MAX_POOL2D = signature('new MaxPool2d', ['kernelSize', 'stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'], { required: 1 });
const AVG_POOL2D = signature('new AvgPool2d', ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], { required: 1 });
const ADAPTIVE_AVG_POOL2D = signature('new AdaptiveAvgPool2d', ['outputSize'], { required: 1 });

/** Options of {@link MaxPool2d} (PyTorch's keywords). */
export interface MaxPool2dLayerOptions<R extends boolean = boolean> extends Omit<MaxPool2dOptions, 'kernelSize' | 'returnIndices'> {
  /**
   * PyTorch's `return_indices`: with `true` the layer returns `{ values, indices }` (a
   * `ValuesIndices` pair, as `maxPool2d(x, { returnIndices: true })`), for {@link MaxUnpool2d}.
   * Default false.
   */
  returnIndices?: R;
}

/** What {@link MaxPool2d} returns: the pooled values, or `{ values, indices }` with `returnIndices`. */
export type MaxPool2dOutput<R extends boolean> = R extends true ? ValuesIndices : Tensor;

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
 * // returnIndices: { values, indices } for MaxUnpool2d
 * const { values, indices } = new MaxPool2d(2, { returnIndices: true }).call(zeros([1, 3, 8, 8]));
 * [values.shape, indices.dtype]; // [[1, 3, 4, 4], 'int32']
 * ```
 */
export class MaxPool2d<R extends boolean = false> extends Module<[Tensor], MaxPool2dOutput<R>> {
  /** Window size. */
  readonly kernelSize: IntPair;
  /** The other options of `maxPool2d`. */
  readonly options: Readonly<Omit<MaxPool2dOptions, 'kernelSize' | 'returnIndices'>>;
  /** Whether the layer returns `{ values, indices }`. */
  readonly returnIndices: R;
  /** The window size positionally, the other options by name… */
  constructor(kernelSize: IntPair, options?: MaxPool2dLayerOptions<R>);
  /** …or positionally in PyTorch's order (`new MaxPool2d(3, 1)`: stride 1)… */
  constructor(
    kernelSize: IntPair,
    stride?: IntPair | null,
    padding?: IntPair,
    dilation?: IntPair,
    returnIndices?: R,
    ceilMode?: boolean,
    options?: MaxPool2dLayerOptions<R>,
  );
  /** …or everything by name. */
  constructor(options: MaxPool2dLayerOptions<R> & { kernelSize: IntPair });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(MAX_POOL2D, args);
    const returnIndices = flag('new MaxPool2d', 'returnIndices', a.returnIndices, false);
    this.kernelSize = a.kernelSize as IntPair;
    this.returnIndices = returnIndices as R;
    this.options = given({ stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: a.ceilMode } as MaxPool2dOptions);
  }
  override forward(input: Tensor): MaxPool2dOutput<R> {
    if (this.returnIndices) return maxPool2d(input, this.kernelSize, { ...this.options, returnIndices: true }) as MaxPool2dOutput<R>;
    return maxPool2d(input, this.kernelSize, this.options) as MaxPool2dOutput<R>;
  }
}

const MAX_UNPOOL2D = signature('new MaxUnpool2d', ['kernelSize', 'stride', 'padding'], { required: 1 });
const MAX_UNPOOL2D_FORWARD = signature('MaxUnpool2d.forward', ['outputSize']);

/**
 * The partial inverse of {@link MaxPool2d} (PyTorch's `nn.MaxUnpool2d(kernel_size, stride=None,
 * padding=0)`): `call(input, indices, outputSize?)` writes each value at its index of a zero
 * output (see `maxUnpool2d`); `stride` defaults to `kernelSize`.
 *
 * @example
 * ```ts
 * import { MaxPool2d, MaxUnpool2d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
 * const { values, indices } = new MaxPool2d(2, { returnIndices: true }).call(x);
 * const unpool = new MaxUnpool2d(2);
 * await unpool.call(values, indices).array(); // [[[[0, 0, 0, 0], [0, 6, 0, 8], [0, 0, 0, 0], [0, 14, 0, 16]]]]
 * unpool.call(values, indices, [5, 5]).shape; // [1, 1, 5, 5]
 * ```
 */
export class MaxUnpool2d extends Module<[Tensor, Tensor, (readonly number[] | null)?], Tensor> {
  /** Window size of the pooling being undone. */
  readonly kernelSize: IntPair;
  /** Its stride and padding. */
  readonly options: Readonly<Pick<MaxUnpool2dOptions, 'stride' | 'padding'>>;
  /** The window size positionally, the other options by name… */
  constructor(kernelSize: IntPair, options?: Pick<MaxUnpool2dOptions, 'stride' | 'padding'>);
  /** …or positionally in PyTorch's order… */
  constructor(kernelSize: IntPair, stride?: IntPair | null, padding?: IntPair, options?: Pick<MaxUnpool2dOptions, 'stride' | 'padding'>);
  /** …or everything by name. */
  constructor(options: Pick<MaxUnpool2dOptions, 'stride' | 'padding'> & { kernelSize: IntPair });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(MAX_UNPOOL2D, args);
    this.kernelSize = a.kernelSize as IntPair;
    this.options = given({ stride: a.stride, padding: a.padding } as MaxUnpool2dOptions);
  }
  /** `input` and `indices` from a {@link MaxPool2d} with `returnIndices`; `outputSize` as in `maxUnpool2d` (positionally or `{ outputSize }`). */
  override forward(input: Tensor, indices: Tensor, ...rest: unknown[]): Tensor {
    const { outputSize } = parseArgs(MAX_UNPOOL2D_FORWARD, rest) as { outputSize?: readonly number[] | null };
    return maxUnpool2d(input, indices, this.kernelSize, { ...this.options, outputSize });
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
