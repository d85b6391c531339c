import { conv2d, convTranspose2d, pad, type Conv2dOptions, type ConvTranspose2dOptions, type IntPair, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from './args.js';
import { factoryOptions, flag, newParameter, pair, positiveInt, resetLinearLike, type FactoryOptions } from './common.js';
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
  /**
   * PyTorch's `padding_mode`: `'zeros'` (default), or `'reflect'`, `'replicate'`, `'circular'`
   * (the input is padded by `pad` in that mode, then convolved without padding).
   */
  paddingMode?: Conv2dPaddingMode;
}

/** The padding modes of {@link Conv2d} (PyTorch's `padding_mode`). */
export type Conv2dPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

const PADDING_MODES: readonly string[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** The arguments of {@link Conv2d} PyTorch requires, when given by name. */
export interface Conv2dRequired {
  /** Input channels. */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Kernel size: an int or `[kH, kW]`. */
  kernelSize: IntPair;
}

const CONV2D = signature(
  'new Conv2d',
  ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'device', 'dtype'],
  { required: 3 },
);
const CONV_TRANSPOSE2D = signature(
  'new ConvTranspose2d',
  ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', 'device', 'dtype'],
  { required: 3 },
);

function refusePaddingMode(layer: string, v: unknown): void {
  refuseUnsupported(layer, 'paddingMode', v, ['zeros'], "as in PyTorch, ConvTranspose2d supports only zero padding; pad the input yourself (pad(x, [...], { mode })) before a layer with padding 0");
}

// the convolution options that are given, without the absent ones
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
}

function kernelPair(layer: string, v: unknown): [number, number] {
  const ok = (k: unknown): boolean => typeof k === 'number' && Number.isInteger(k) && k > 0;
  if (!(ok(v) || (Array.isArray(v) && v.length === 2 && v.every(ok)))) {
    throw new TypeError(`${layer}: expected kernelSize to be a positive integer or a pair [kH, kW], got ${JSON.stringify(v) ?? String(v)}`);
  }
  return pair(v as IntPair);
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
 * // PyTorch's positional form: Conv2d(1, 3, 3, 2, 1) is stride 2, padding 1
 * new Conv2d(1, 3, 3, 2, 1).call(zeros([1, 1, 8, 8])).shape; // [1, 3, 4, 4]
 * new Conv2d(1, 1, { kernelSize: 3 }).kernelSize; // [3, 3]
 * // padding_mode='reflect': the border mirrors the input instead of zeros
 * new Conv2d(3, 8, 3, { padding: 1, paddingMode: 'reflect' }).call(zeros([1, 3, 8, 8])).shape; // [1, 8, 8, 8]
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
  readonly options: Readonly<Conv2dOptions>;
  /** How the border is padded (PyTorch's `padding_mode`). */
  readonly paddingMode: Conv2dPaddingMode;
  /** `[outChannels, inChannels / groups, kH, kW]`. */
  declare weight: Parameter;
  /** `[outChannels]` or `null`. */
  declare bias: Parameter | null;
  // non-zero modes: `pad`'s [left, right, top, bottom] (PyTorch's _reversed_padding_repeated_twice)
  readonly #padding: [number, number, number, number] | null = null;

  /** PyTorch's required arguments positionally, the others by name… */
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options?: Conv2dLayerOptions);
  /** …or positionally in PyTorch's order (`new Conv2d(1, 3, 3, 2, 1)`: stride 2, padding 1)… */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: IntPair,
    stride?: IntPair,
    padding?: IntPair | 'same' | 'valid',
    dilation?: IntPair,
    groups?: number,
    bias?: boolean,
    paddingMode?: Conv2dPaddingMode,
    options?: Conv2dLayerOptions,
  );
  /** …or any of them by name (`new Conv2d(1, 1, { kernelSize: 3 })`). */
  constructor(inChannels: number, outChannels: number, options: Conv2dLayerOptions & Pick<Conv2dRequired, 'kernelSize'>);
  constructor(options: Conv2dLayerOptions & Conv2dRequired);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(CONV2D, args);
    const { dtype } = factoryOptions('Conv2d', a);
    const mode = a.paddingMode ?? 'zeros';
    if (typeof mode !== 'string' || !PADDING_MODES.includes(mode)) {
      throw new RangeError(`Conv2d: paddingMode must be one of ${PADDING_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
    }
    this.paddingMode = mode as Conv2dPaddingMode;
    const inChannels = positiveInt('Conv2d', 'inChannels', a.inChannels);
    const outChannels = positiveInt('Conv2d', 'outChannels', a.outChannels);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelPair('Conv2d', a.kernelSize);
    const groups = (a.groups as number | undefined) ?? 1;
    checkGroups('Conv2d', inChannels, outChannels, groups);
    this.options = defined({ stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups } as Conv2dOptions);
    if (this.paddingMode !== 'zeros') this.#padding = borderPadding(this.kernelSize, a.padding, a.dilation, a.stride);
    const bias = flag('Conv2d', 'bias', a.bias, true);
    this.registerParameter('weight', newParameter([outChannels, inChannels / groups, ...this.kernelSize], dtype));
    this.registerParameter('bias', bias ? newParameter([outChannels], dtype) : null);
    resetLinearLike(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    if (this.#padding === null) return conv2d(input, this.weight, this.bias, this.options);
    const padded = pad(input, this.#padding, { mode: this.paddingMode as Exclude<Conv2dPaddingMode, 'zeros'> });
    const out = conv2d(padded, this.weight, this.bias, { ...this.options, padding: 0 });
    padded.dispose(); // the tape keeps what it needs
    return out;
  }
}

// PyTorch's _reversed_padding_repeated_twice: `pad`'s [left, right, top, bottom] for a padding
// given as an int, a pair, 'valid' or 'same' (total d·(k-1), the extra one after)
function borderPadding(kernel: [number, number], padding: unknown, dilation: unknown, stride: unknown): [number, number, number, number] {
  if (padding === 'same') {
    if (stride !== undefined && stride !== null && pair(stride as IntPair).some((s) => s !== 1)) {
      throw new RangeError(`Conv2d: padding 'same' is not supported for strided convolutions (got stride ${JSON.stringify(stride)}); use stride 1 or a numeric padding`);
    }
    const [dh, dw] = dilation === undefined || dilation === null ? [1, 1] : pair(dilation as IntPair);
    const [th, tw] = [dh * (kernel[0] - 1), dw * (kernel[1] - 1)];
    return [Math.floor(tw / 2), tw - Math.floor(tw / 2), Math.floor(th / 2), th - Math.floor(th / 2)];
  }
  if (padding === undefined || padding === null || padding === 'valid') return [0, 0, 0, 0];
  const [ph, pw] = pair(padding as IntPair);
  return [pw, pw, ph, ph];
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
  /** PyTorch's `padding_mode`: only `'zeros'` (the default) is supported. */
  paddingMode?: 'zeros';
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
 * // PyTorch's positional form: ConvTranspose2d(8, 4, 3, 2, 1, 1) is stride 2, padding 1, outputPadding 1
 * new ConvTranspose2d(8, 4, 3, 2, 1, 1).call(zeros([1, 8, 5, 5])).shape; // [1, 4, 10, 10]
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
  readonly options: Readonly<ConvTranspose2dOptions>;
  /** `[inChannels, outChannels / groups, kH, kW]`. */
  declare weight: Parameter;
  /** `[outChannels]` or `null`. */
  declare bias: Parameter | null;

  /** PyTorch's required arguments positionally, the others by name… */
  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options?: ConvTranspose2dLayerOptions);
  /** …or positionally in PyTorch's order (stride, padding, outputPadding, groups, bias, dilation, paddingMode)… */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: IntPair,
    stride?: IntPair,
    padding?: IntPair,
    outputPadding?: IntPair,
    groups?: number,
    bias?: boolean,
    dilation?: IntPair,
    paddingMode?: 'zeros',
    options?: ConvTranspose2dLayerOptions,
  );
  /** …or any of them by name. */
  constructor(inChannels: number, outChannels: number, options: ConvTranspose2dLayerOptions & Pick<Conv2dRequired, 'kernelSize'>);
  constructor(options: ConvTranspose2dLayerOptions & Conv2dRequired);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(CONV_TRANSPOSE2D, args);
    const { dtype } = factoryOptions('ConvTranspose2d', a);
    refusePaddingMode('ConvTranspose2d', a.paddingMode);
    const inChannels = positiveInt('ConvTranspose2d', 'inChannels', a.inChannels);
    const outChannels = positiveInt('ConvTranspose2d', 'outChannels', a.outChannels);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelPair('ConvTranspose2d', a.kernelSize);
    const groups = (a.groups as number | undefined) ?? 1;
    checkGroups('ConvTranspose2d', inChannels, outChannels, groups);
    this.options = defined({ stride: a.stride, padding: a.padding, outputPadding: a.outputPadding, groups: a.groups, dilation: a.dilation } as ConvTranspose2dOptions);
    const bias = flag('ConvTranspose2d', 'bias', a.bias, true);
    this.registerParameter('weight', newParameter([inChannels, outChannels / groups, ...this.kernelSize], dtype));
    this.registerParameter('bias', bias ? newParameter([outChannels], dtype) : null);
    resetLinearLike(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return convTranspose2d(input, this.weight, this.bias, this.options);
  }
}
