import { conv2d, convTranspose2d, type IntPair, type Tensor } from '@tensorgrad/tensor';
import { newParameter, pair, positiveInt, resetLinearLike, type FactoryOptions } from './common.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of {@link Conv2d} (PyTorch's keywords). */
export interface Conv2dLayerOptions extends FactoryOptions {
  /** Stride (default 1). */
  stride?: IntPair;
  /** Zero padding: an int, `[h, w]`, `'same'` or `'valid'` (default 0). */
  padding?: IntPair | 'same' | 'valid';
  /** Dilation (default 1). */
  dilation?: IntPair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Learn a bias (default `true`). */
  bias?: boolean;
}

function checkGroups(layer: string, inC: number, outC: number, groups: number): void {
  positiveInt(layer, 'groups', groups);
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw new RangeError(`${layer}: inChannels (${inC}) and outChannels (${outC}) must both be divisible by groups (${groups})`);
  }
}

/**
 * 2-D convolution layer (PyTorch's `nn.Conv2d`): `weight` `[outChannels, inChannels / groups,
 * kH, kW]`, `bias` `[outChannels]`, PyTorch's default init.
 *
 * @example
 * ```ts
 * import { Conv2d } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const conv = new Conv2d(1, 64, 3, { padding: 1 });
 * conv.weight.shape; // [64, 1, 3, 3]
 * conv.call(zeros([2, 1, 28, 28])).shape; // [2, 64, 28, 28]
 * ```
 */
export class Conv2d extends Module {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** `[kH, kW]`. */
  readonly kernelSize: [number, number];
  /** The convolution options passed to `conv2d`. */
  readonly options: Readonly<Omit<Conv2dLayerOptions, 'bias' | 'dtype'>>;
  /** `[outChannels, inChannels / groups, kH, kW]`. */
  declare weight: Parameter;
  /** `[outChannels]` or `null`. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options: Conv2dLayerOptions = {}) {
    super();
    this.inChannels = positiveInt('Conv2d', 'inChannels', inChannels);
    this.outChannels = positiveInt('Conv2d', 'outChannels', outChannels);
    this.kernelSize = pair(kernelSize);
    const groups = options.groups ?? 1;
    checkGroups('Conv2d', inChannels, outChannels, groups);
    const { bias, dtype, ...convOptions } = options;
    this.options = convOptions;
    this.registerParameter('weight', newParameter([outChannels, inChannels / groups, ...this.kernelSize], dtype));
    this.registerParameter('bias', bias === false ? null : newParameter([outChannels], dtype));
    resetLinearLike(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return conv2d(input, this.weight, this.bias, this.options);
  }
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dLayerOptions extends FactoryOptions {
  /** Stride (default 1). */
  stride?: IntPair;
  /** Padding removed from each side of the output (default 0). */
  padding?: IntPair;
  /** Extra size added to one side of the output (default 0). */
  outputPadding?: IntPair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Dilation (default 1). */
  dilation?: IntPair;
  /** Learn a bias (default `true`). */
  bias?: boolean;
}

/**
 * 2-D transposed convolution layer (PyTorch's `nn.ConvTranspose2d`): `weight` `[inChannels,
 * outChannels / groups, kH, kW]`, `bias` `[outChannels]`, PyTorch's default init.
 *
 * @example
 * ```ts
 * import { ConvTranspose2d } from '@tensorgrad/layers';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const up = new ConvTranspose2d(8, 4, 2, { stride: 2 });
 * up.weight.shape; // [8, 4, 2, 2]
 * up.call(zeros([1, 8, 5, 5])).shape; // [1, 4, 10, 10]
 * ```
 */
export class ConvTranspose2d extends Module {
  /** Input channels. */
  readonly inChannels: number;
  /** Output channels. */
  readonly outChannels: number;
  /** `[kH, kW]`. */
  readonly kernelSize: [number, number];
  /** The options passed to `convTranspose2d`. */
  readonly options: Readonly<Omit<ConvTranspose2dLayerOptions, 'bias' | 'dtype'>>;
  /** `[inChannels, outChannels / groups, kH, kW]`. */
  declare weight: Parameter;
  /** `[outChannels]` or `null`. */
  declare bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options: ConvTranspose2dLayerOptions = {}) {
    super();
    this.inChannels = positiveInt('ConvTranspose2d', 'inChannels', inChannels);
    this.outChannels = positiveInt('ConvTranspose2d', 'outChannels', outChannels);
    this.kernelSize = pair(kernelSize);
    const groups = options.groups ?? 1;
    checkGroups('ConvTranspose2d', inChannels, outChannels, groups);
    const { bias, dtype, ...convOptions } = options;
    this.options = convOptions;
    this.registerParameter('weight', newParameter([inChannels, outChannels / groups, ...this.kernelSize], dtype));
    this.registerParameter('bias', bias === false ? null : newParameter([outChannels], dtype));
    resetLinearLike(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return convTranspose2d(input, this.weight, this.bias, this.options);
  }
}
