// torchvision.ops.misc: FrozenBatchNorm2d and Conv2dNormActivation (the detection models' building blocks)
import { ones, zeros, type Tensor } from '@tensorgrad/tensor';
import { BatchNorm2d, Conv2d, Module, ReLU, Sequential, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';

const FROZEN_BN = signature('new FrozenBatchNorm2d', ['numFeatures', 'eps'], { required: 1 });
const CONV_NORM_ACT = signature(
  'new Conv2dNormActivation',
  ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'groups', 'normLayer', 'activationLayer', 'dilation', 'inplace', 'bias'],
  { required: 2 },
);

function positiveInt(owner: string, name: string, v: unknown, fallback?: number): number {
  if ((v === undefined || v === null) && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new TypeError(`${owner}: expected ${name} to be a positive integer, got ${String(v)}`);
  return v;
}

/** Options of {@link FrozenBatchNorm2d}. */
export interface FrozenBatchNorm2dOptions {
  /** Added to the variance (default 1e-5, torchvision's). */
  eps?: number;
}

/**
 * Batch normalisation with fixed statistics and affine parameters (torchvision's
 * `ops.FrozenBatchNorm2d`): `y = (x − running_mean) / sqrt(running_var + eps) · weight + bias`
 * per channel, in training mode too. `weight`, `bias`, `running_mean` and `running_var` are
 * buffers, not parameters, so no optimizer changes them, and there is no `num_batches_tracked`:
 * the state-dict keys are those of torchvision's pretrained detection checkpoints.
 *
 * @example
 * ```ts
 * import { FrozenBatchNorm2d } from '@tensorgrad/vision';
 * import { ones } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const bn = new FrozenBatchNorm2d(2);
 * Object.keys(bn.stateDict()); // ['weight', 'bias', 'running_mean', 'running_var']
 * bn.parameters().length; // 0
 * bn.running_var.fill_(4);
 * await bn(ones([1, 2, 1, 1])).array(); // [[[[0.49999937415122986]], [[0.49999937415122986]]]]
 * ```
 */
export class FrozenBatchNorm2d extends Module {
  /** Number of channels `C`. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Per-channel scale (a buffer). */
  declare weight: Tensor;
  /** Per-channel shift (a buffer). */
  declare bias: Tensor;
  /** Per-channel mean (a buffer). */
  declare running_mean: Tensor;
  /** Per-channel variance (a buffer). */
  declare running_var: Tensor;

  /** torchvision's `FrozenBatchNorm2d(num_features, eps=1e-5)`, options by name… */
  constructor(numFeatures: number, options?: FrozenBatchNorm2dOptions);
  /** …or positionally. */
  constructor(numFeatures: number, eps?: number, options?: FrozenBatchNorm2dOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(FROZEN_BN, args);
    const owner = 'new FrozenBatchNorm2d';
    this.numFeatures = positiveInt(owner, 'numFeatures', a.numFeatures);
    const eps = a.eps ?? 1e-5;
    if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${owner}: expected eps to be a non-negative number, got ${String(eps)}`);
    this.eps = eps;
    const n = this.numFeatures;
    this.registerBuffer('weight', ones([n]));
    this.registerBuffer('bias', zeros([n]));
    this.registerBuffer('running_mean', zeros([n]));
    this.registerBuffer('running_var', ones([n]));
  }

  override forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.numFeatures) {
      throw new RangeError(`FrozenBatchNorm2d: expected an [N, ${this.numFeatures}, H, W] input, got shape [${x.shape.join(', ')}]`);
    }
    // torchvision folds the statistics into one scale and shift: scale = w · rsqrt(var + eps)
    const scale = this.weight.div(this.running_var.add(this.eps).sqrt());
    const shift = this.bias.sub(this.running_mean.mul(scale));
    return x.mul(scale.reshape([1, -1, 1, 1])).add(shift.reshape([1, -1, 1, 1]));
  }
}

/** A layer factory: a class such as `BatchNorm2d`, or a function `(channels) => module`; `null` for none. */
export type LayerFactory = (new (channels: number) => AnyModule) | ((channels: number) => AnyModule);

/** Options of {@link Conv2dNormActivation} (torchvision's keywords, camelCase). */
export interface Conv2dNormActivationOptions {
  /** Kernel size (default 3). */
  kernelSize?: number;
  /** Stride (default 1). */
  stride?: number;
  /** Padding (default `(kernelSize − 1) / 2 · dilation`). */
  padding?: number | null;
  /** Groups (default 1). */
  groups?: number;
  /** Normalisation after the convolution (default `BatchNorm2d`; `null` for none). */
  normLayer?: LayerFactory | null;
  /** Activation at the end (default `ReLU`; `null` for none). */
  activationLayer?: (new () => AnyModule) | null;
  /** Dilation (default 1). */
  dilation?: number;
  /** torchvision's `inplace` for the activation: accepted (`true` or `null`), without effect. */
  inplace?: boolean | null;
  /** Bias of the convolution (default: only when there is no normalisation layer). */
  bias?: boolean | null;
}

function makeLayer(owner: string, factory: unknown, channels: number): AnyModule {
  if (typeof factory !== 'function') throw new TypeError(`${owner}: expected normLayer to be a class such as BatchNorm2d, a function (channels) => Module, or null, got ${typeof factory}`);
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(factory));
  const m: unknown = isClass ? new (factory as new (n: number) => AnyModule)(channels) : (factory as (n: number) => AnyModule)(channels);
  if (!(m instanceof Module)) throw new TypeError(`${owner}: normLayer(${channels}) should return a Module, got ${m === null ? 'null' : typeof m}`);
  return m;
}

/**
 * Convolution, then normalisation, then activation, as a `Sequential` (torchvision's
 * `ops.Conv2dNormActivation`): its children are named `0` (the `Conv2d`), `1` (the norm, when
 * there is one) and the next index (the activation), so state-dict keys are torchvision's
 * (`0.weight`, `1.running_mean`, …).
 *
 * @example
 * ```ts
 * import { Conv2dNormActivation } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const block = new Conv2dNormActivation(3, 8, { stride: 2 });
 * Object.keys(block.stateDict()).slice(0, 2); // ['0.weight', '1.weight']
 * block(randn([1, 3, 16, 16])).shape; // [1, 8, 8, 8]
 * new Conv2dNormActivation(8, 8, { kernelSize: 1, normLayer: null, activationLayer: null }).length; // 1
 * ```
 */
export class Conv2dNormActivation extends Sequential {
  /** Output channels. */
  readonly outChannels: number;

  /** torchvision's `Conv2dNormActivation(in_channels, out_channels, kernel_size=3, stride=1, padding=None, groups=1, norm_layer=BatchNorm2d, activation_layer=ReLU, dilation=1, inplace=True, bias=None)`, options by name… */
  constructor(inChannels: number, outChannels: number, options?: Conv2dNormActivationOptions);
  /** …or positionally. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize?: number,
    stride?: number,
    padding?: number | null,
    groups?: number,
    normLayer?: LayerFactory | null,
    activationLayer?: (new () => AnyModule) | null,
    dilation?: number,
    inplace?: boolean | null,
    bias?: boolean | null,
    options?: Conv2dNormActivationOptions,
  );
  constructor(...args: unknown[]) {
    const a = parseArgs(CONV_NORM_ACT, args);
    const owner = 'new Conv2dNormActivation';
    const inChannels = positiveInt(owner, 'inChannels', a.inChannels);
    const outChannels = positiveInt(owner, 'outChannels', a.outChannels);
    const kernelSize = positiveInt(owner, 'kernelSize', a.kernelSize, 3);
    const stride = positiveInt(owner, 'stride', a.stride, 1);
    const groups = positiveInt(owner, 'groups', a.groups, 1);
    const dilation = positiveInt(owner, 'dilation', a.dilation, 1);
    const padding = a.padding ?? Math.trunc((kernelSize - 1) / 2) * dilation;
    if (typeof padding !== 'number' || !Number.isInteger(padding) || padding < 0) throw new TypeError(`${owner}: expected padding to be a non-negative integer or null, got ${String(padding)}`);
    if (a.inplace !== undefined && a.inplace !== null && typeof a.inplace !== 'boolean') throw new TypeError(`${owner}: expected inplace to be a boolean or null, got ${typeof a.inplace}`);
    const normLayer = a.normLayer === undefined ? BatchNorm2d : a.normLayer;
    const bias = a.bias ?? normLayer === null;
    if (typeof bias !== 'boolean') throw new TypeError(`${owner}: expected bias to be a boolean or null, got ${typeof bias}`);
    const layers: AnyModule[] = [new Conv2d(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias })];
    if (normLayer !== null) layers.push(makeLayer(owner, normLayer, outChannels));
    const act = a.activationLayer === undefined ? ReLU : a.activationLayer;
    if (act !== null) {
      if (typeof act !== 'function') throw new TypeError(`${owner}: expected activationLayer to be a Module class such as ReLU, or null, got ${typeof act}`);
      const m: unknown = new (act as new () => AnyModule)();
      if (!(m instanceof Module)) throw new TypeError(`${owner}: activationLayer should construct a Module`);
      layers.push(m as AnyModule);
    }
    super(...layers);
    this.outChannels = outChannels;
  }
}
