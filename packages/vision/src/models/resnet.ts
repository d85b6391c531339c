import { add, flatten, relu, type Tensor } from '@tensorgrad/tensor';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, init, Linear, MaxPool2d, Module, ReLU, Sequential, type AnyModule } from '@tensorgrad/layers';
import { parseArgs, signature } from '../args.js';
import { checkProgress, refuseWeights } from './weights.js';

const BLOCK_PARAMS = ['inplanes', 'planes', 'stride', 'downsample', 'groups', 'baseWidth', 'dilation', 'normLayer'] as const;
const BASIC_BLOCK = signature('new BasicBlock', BLOCK_PARAMS, { required: 2 });
const BOTTLENECK = signature('new Bottleneck', BLOCK_PARAMS, { required: 2 });
const RESNET = signature('new ResNet', ['block', 'layers', 'numClasses', 'zeroInitResidual', 'groups', 'widthPerGroup', 'replaceStrideWithDilation', 'normLayer'], { required: 2 });
const BUILDER_PARAMS = ['weights', 'progress', 'numClasses', 'zeroInitResidual', 'groups', 'widthPerGroup', 'replaceStrideWithDilation', 'normLayer'] as const;

/**
 * A normalisation layer factory (torchvision's `norm_layer`): a class such as `BatchNorm2d` or a
 * function `(numFeatures) => module` (torchvision's `partial(nn.BatchNorm2d, eps=…)`).
 */
export type NormLayer = (new (numFeatures: number) => AnyModule) | ((numFeatures: number) => AnyModule);

function makeNorm(owner: string, normLayer: unknown): (n: number) => AnyModule {
  if (normLayer === undefined || normLayer === null) return (n) => new BatchNorm2d(n);
  if (typeof normLayer !== 'function') {
    throw new TypeError(`${owner}: expected normLayer to be a normalisation class such as BatchNorm2d or a function (numFeatures) => Module, got ${typeof normLayer}`);
  }
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(normLayer));
  return (n) => {
    const m: unknown = isClass ? new (normLayer as new (n: number) => AnyModule)(n) : (normLayer as (n: number) => AnyModule)(n);
    if (!(m instanceof Module)) throw new TypeError(`${owner}: normLayer(${n}) should return a Module, got ${m === null ? 'null' : typeof m}`);
    return m;
  };
}

function intOption(owner: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new TypeError(`${owner}: expected ${name} to be a positive integer, got ${String(v)}`);
  return v;
}

function conv3x3(inPlanes: number, outPlanes: number, stride = 1, groups = 1, dilation = 1): Conv2d {
  return new Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, groups, bias: false, dilation });
}

function conv1x1(inPlanes: number, outPlanes: number, stride = 1): Conv2d {
  return new Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });
}

function downsampleArg(owner: string, v: unknown): AnyModule | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Module)) throw new TypeError(`${owner}: expected downsample to be a Module or null, got ${typeof v}`);
  return v as AnyModule;
}

/** Options of {@link BasicBlock} and {@link Bottleneck} (torchvision's keywords, camelCase). */
export interface BlockOptions {
  /** Stride of the block's 3×3 convolution (default 1). */
  stride?: number;
  /** The module computing the shortcut (`Sequential(conv1x1, norm)`), or `null` for the identity (default). */
  downsample?: AnyModule | null;
  /** Groups of the 3×3 convolution (default 1; `BasicBlock` supports only 1). */
  groups?: number;
  /** Width per group (default 64; `BasicBlock` supports only 64). */
  baseWidth?: number;
  /** Dilation of the 3×3 convolution (default 1; `BasicBlock` supports only 1). */
  dilation?: number;
  /** The normalisation layer (default `BatchNorm2d`). */
  normLayer?: NormLayer | null;
}

/**
 * The two-convolution residual block of ResNet-18/34 (torchvision's `BasicBlock`): `conv1` (3×3,
 * stride `stride`), `bn1`, `relu`, `conv2` (3×3), `bn2`, plus `downsample` of the input when
 * given; the sum goes through `relu`. `BasicBlock.expansion` is 1.
 *
 * @example
 * ```ts
 * import { BasicBlock } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const block = new BasicBlock(8, 8);
 * block.namedChildren().map(([n]) => n); // ['conv1', 'bn1', 'relu', 'conv2', 'bn2']
 * block(randn([1, 8, 5, 5])).shape; // [1, 8, 5, 5]
 * ```
 */
export class BasicBlock extends Module {
  /** Output channels per `planes`: 1. */
  static readonly expansion: number = 1;
  /** 3×3 convolution (stride `stride`). */
  declare conv1: Conv2d;
  /** Normalisation after `conv1`. */
  declare bn1: AnyModule;
  /** The ReLU (used twice). */
  declare relu: ReLU;
  /** 3×3 convolution. */
  declare conv2: Conv2d;
  /** Normalisation after `conv2`. */
  declare bn2: AnyModule;
  /** The shortcut's module, or `null` for the identity. */
  declare downsample: AnyModule | null;
  /** Stride of `conv1`. */
  readonly stride: number;

  /** torchvision's `BasicBlock(inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1, norm_layer=None)`, options by name… */
  constructor(inplanes: number, planes: number, options?: BlockOptions);
  /** …or positionally. */
  constructor(
    inplanes: number,
    planes: number,
    stride?: number,
    downsample?: AnyModule | null,
    groups?: number,
    baseWidth?: number,
    dilation?: number,
    normLayer?: NormLayer | null,
    options?: BlockOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(BASIC_BLOCK, args);
    const owner = 'new BasicBlock';
    const inplanes = intOption(owner, 'inplanes', a.inplanes, 0);
    const planes = intOption(owner, 'planes', a.planes, 0);
    const stride = intOption(owner, 'stride', a.stride, 1);
    const groups = intOption(owner, 'groups', a.groups, 1);
    const baseWidth = intOption(owner, 'baseWidth', a.baseWidth, 64);
    const dilation = intOption(owner, 'dilation', a.dilation, 1);
    if (groups !== 1 || baseWidth !== 64) {
      throw new RangeError(`${owner}: BasicBlock only supports groups = 1 and baseWidth = 64 (as torchvision), got groups = ${groups}, baseWidth = ${baseWidth}; use Bottleneck for grouped or wider blocks`);
    }
    if (dilation > 1) throw new RangeError(`${owner}: dilation > 1 is not supported in BasicBlock (as torchvision), got ${dilation}; use Bottleneck`);
    const norm = makeNorm(owner, a.normLayer);
    this.registerModule('conv1', conv3x3(inplanes, planes, stride));
    this.registerModule('bn1', norm(planes));
    this.registerModule('relu', new ReLU());
    this.registerModule('conv2', conv3x3(planes, planes));
    this.registerModule('bn2', norm(planes));
    this.registerModule('downsample', downsampleArg(owner, a.downsample));
    this.stride = stride;
  }

  override forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)) as Tensor);
    out = this.bn2(this.conv2(out)) as Tensor;
    const identity = this.downsample ? (this.downsample(x) as Tensor) : x;
    return relu(add(out, identity));
  }
}

/**
 * The bottleneck residual block of ResNet-50/101/152 (torchvision's `Bottleneck`, "ResNet V1.5":
 * the stride is on the 3×3 convolution): `conv1` (1×1), `bn1`, `conv2` (3×3, stride `stride`),
 * `bn2`, `conv3` (1×1 to `planes × 4` channels), `bn3`, `relu`, plus `downsample` of the input
 * when given. `Bottleneck.expansion` is 4.
 *
 * @example
 * ```ts
 * import { Bottleneck } from '@tensorgrad/vision';
 * import { Conv2d, BatchNorm2d, Sequential } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const shortcut = new Sequential(new Conv2d(8, 16, 1, { stride: 2, bias: false }), new BatchNorm2d(16));
 * const block = new Bottleneck(8, 4, { stride: 2, downsample: shortcut });
 * block(randn([1, 8, 6, 6])).shape; // [1, 16, 3, 3]
 * Bottleneck.expansion; // 4
 * ```
 */
export class Bottleneck extends Module {
  /** Output channels per `planes`: 4. */
  static readonly expansion: number = 4;
  /** 1×1 convolution to the block's width. */
  declare conv1: Conv2d;
  /** Normalisation after `conv1`. */
  declare bn1: AnyModule;
  /** 3×3 convolution (stride `stride`). */
  declare conv2: Conv2d;
  /** Normalisation after `conv2`. */
  declare bn2: AnyModule;
  /** 1×1 convolution to `planes × 4` channels. */
  declare conv3: Conv2d;
  /** Normalisation after `conv3`. */
  declare bn3: AnyModule;
  /** The ReLU (used three times). */
  declare relu: ReLU;
  /** The shortcut's module, or `null` for the identity. */
  declare downsample: AnyModule | null;
  /** Stride of `conv2`. */
  readonly stride: number;

  /** torchvision's `Bottleneck(inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1, norm_layer=None)`, options by name… */
  constructor(inplanes: number, planes: number, options?: BlockOptions);
  /** …or positionally. */
  constructor(
    inplanes: number,
    planes: number,
    stride?: number,
    downsample?: AnyModule | null,
    groups?: number,
    baseWidth?: number,
    dilation?: number,
    normLayer?: NormLayer | null,
    options?: BlockOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(BOTTLENECK, args);
    const owner = 'new Bottleneck';
    const inplanes = intOption(owner, 'inplanes', a.inplanes, 0);
    const planes = intOption(owner, 'planes', a.planes, 0);
    const stride = intOption(owner, 'stride', a.stride, 1);
    const groups = intOption(owner, 'groups', a.groups, 1);
    const baseWidth = intOption(owner, 'baseWidth', a.baseWidth, 64);
    const dilation = intOption(owner, 'dilation', a.dilation, 1);
    const norm = makeNorm(owner, a.normLayer);
    const width = Math.trunc(planes * (baseWidth / 64)) * groups;
    this.registerModule('conv1', conv1x1(inplanes, width));
    this.registerModule('bn1', norm(width));
    this.registerModule('conv2', conv3x3(width, width, stride, groups, dilation));
    this.registerModule('bn2', norm(width));
    this.registerModule('conv3', conv1x1(width, planes * Bottleneck.expansion));
    this.registerModule('bn3', norm(planes * Bottleneck.expansion));
    this.registerModule('relu', new ReLU());
    this.registerModule('downsample', downsampleArg(owner, a.downsample));
    this.stride = stride;
  }

  override forward(x: Tensor): Tensor {
    let out = this.relu(this.bn1(this.conv1(x)) as Tensor);
    out = this.relu(this.bn2(this.conv2(out)) as Tensor);
    out = this.bn3(this.conv3(out)) as Tensor;
    const identity = this.downsample ? (this.downsample(x) as Tensor) : x;
    return relu(add(out, identity));
  }
}

/** A residual block class: {@link BasicBlock} or {@link Bottleneck}. */
export type ResNetBlock = typeof BasicBlock | typeof Bottleneck;

/** Options of {@link ResNet} (torchvision's keywords, camelCase). */
export interface ResNetOptions {
  /** Outputs of `fc` (default 1000). */
  numClasses?: number;
  /**
   * Start every residual branch at zero: the last batch norm of each block gets weight 0, so each
   * block begins as the identity (default false; "improves the model by 0.2~0.3%" says torchvision).
   */
  zeroInitResidual?: boolean;
  /** Groups of the 3×3 convolutions of bottleneck blocks (default 1; ResNeXt uses 32). */
  groups?: number;
  /** Width per group of bottleneck blocks (default 64; Wide ResNet uses 128). */
  widthPerGroup?: number;
  /** For each of layer2–4, replace its stride 2 with dilation (default `[false, false, false]`). */
  replaceStrideWithDilation?: readonly [boolean, boolean, boolean] | null;
  /** The normalisation layer (default `BatchNorm2d`). */
  normLayer?: NormLayer | null;
}

/**
 * ResNet (torchvision's `models.ResNet`, from "Deep Residual Learning for Image Recognition"):
 * `conv1` (7×7, stride 2), `bn1`, `relu`, `maxpool` (3×3, stride 2), `layer1`…`layer4` (each a
 * `Sequential` of `block`s; the first block of a stage gets a `downsample =
 * Sequential(conv1x1, norm)` when the stride or the width changes), `avgpool =
 * AdaptiveAvgPool2d([1, 1])` and `fc = Linear(512 × expansion, numClasses)`, with torchvision's
 * module names, so a torchvision state dict loads with `loadStateDict(sd, { strict: true })`.
 *
 * Initialisation as torchvision: convolution weights from `kaimingNormal_(w, { mode: 'fan_out',
 * nonlinearity: 'relu' })`, batch-norm weights 1 and biases 0, `fc` with `Linear`'s default; with
 * `zeroInitResidual` the last batch norm of every block gets weight 0. The random numbers are
 * drawn in torchvision's order, so after `manualSeed(s)` the weights equal those of
 * `torch.manual_seed(s); torchvision.models.resnet18()`.
 *
 * @example
 * ```ts
 * import { ResNet, BasicBlock } from '@tensorgrad/vision';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const model = new ResNet(BasicBlock, [1, 1, 1, 1], { numClasses: 5 });
 * model.eval()(randn([1, 3, 32, 32])).shape; // [1, 5]
 * 'layer2.0.downsample.0.weight' in model.stateDict(); // true
 * model.dispose();
 * ```
 */
export class ResNet extends Module {
  /** 7×7 stem convolution. */
  declare conv1: Conv2d;
  /** Normalisation after `conv1`. */
  declare bn1: AnyModule;
  /** The stem's ReLU. */
  declare relu: ReLU;
  /** 3×3 max pooling, stride 2. */
  declare maxpool: MaxPool2d;
  /** Stage 1 (64 planes). */
  declare layer1: Sequential;
  /** Stage 2 (128 planes, stride 2). */
  declare layer2: Sequential;
  /** Stage 3 (256 planes, stride 2). */
  declare layer3: Sequential;
  /** Stage 4 (512 planes, stride 2). */
  declare layer4: Sequential;
  /** `AdaptiveAvgPool2d([1, 1])`. */
  declare avgpool: AnyModule;
  /** The classifier, `Linear(512 × expansion, numClasses)`. */
  declare fc: AnyModule;
  /** @internal Channels entering the next stage while building. */
  private _inplanes = 64;
  /** @internal Current dilation while building. */
  private _dilation = 1;

  /** torchvision's `ResNet(block, layers, num_classes=1000, zero_init_residual=False, groups=1, width_per_group=64, replace_stride_with_dilation=None, norm_layer=None)`, options by name… */
  constructor(block: ResNetBlock, layers: readonly [number, number, number, number], options?: ResNetOptions);
  /** …or positionally. */
  constructor(
    block: ResNetBlock,
    layers: readonly [number, number, number, number],
    numClasses?: number,
    zeroInitResidual?: boolean,
    groups?: number,
    widthPerGroup?: number,
    replaceStrideWithDilation?: readonly [boolean, boolean, boolean] | null,
    normLayer?: NormLayer | null,
    options?: ResNetOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const owner = 'new ResNet';
    const a = parseArgs(RESNET, args);
    const block = a.block as ResNetBlock;
    if (block !== BasicBlock && block !== Bottleneck && !(typeof block === 'function' && (block as { prototype?: unknown }).prototype instanceof Module && typeof (block as { expansion?: unknown }).expansion === 'number')) {
      throw new TypeError(`${owner}: expected block to be BasicBlock or Bottleneck (a Module class with a static expansion), got ${typeof block}`);
    }
    const layers = a.layers as readonly number[];
    if (!Array.isArray(layers) || layers.length !== 4 || !layers.every((n) => Number.isInteger(n) && n > 0)) {
      throw new TypeError(`${owner}: expected layers to be 4 positive block counts, e.g. [2, 2, 2, 2] for ResNet-18, got ${JSON.stringify(layers) ?? String(layers)}`);
    }
    const numClasses = intOption(owner, 'numClasses', a.numClasses, 1000);
    const zeroInitResidual = a.zeroInitResidual ?? false;
    if (typeof zeroInitResidual !== 'boolean') throw new TypeError(`${owner}: expected zeroInitResidual to be a boolean, got ${typeof zeroInitResidual}`);
    const groups = intOption(owner, 'groups', a.groups, 1);
    const widthPerGroup = intOption(owner, 'widthPerGroup', a.widthPerGroup, 64);
    const rswd = (a.replaceStrideWithDilation ?? [false, false, false]) as readonly boolean[];
    if (!Array.isArray(rswd) || rswd.length !== 3 || !rswd.every((b) => typeof b === 'boolean')) {
      throw new RangeError(`${owner}: replaceStrideWithDilation should be null or 3 booleans (one per layer2–4), got ${JSON.stringify(rswd)}`);
    }
    const norm = makeNorm(owner, a.normLayer);
    const normLayer = (a.normLayer ?? null) as NormLayer | null;

    const makeLayer = (planes: number, blocks: number, stride: number, dilate: boolean): Sequential => {
      const expansion = block.expansion;
      let downsample: AnyModule | null = null;
      const previousDilation = this._dilation;
      if (dilate) {
        this._dilation *= stride;
        stride = 1;
      }
      if (stride !== 1 || this._inplanes !== planes * expansion) {
        downsample = new Sequential(conv1x1(this._inplanes, planes * expansion, stride), norm(planes * expansion));
      }
      const list: AnyModule[] = [new block(this._inplanes, planes, stride, downsample, groups, widthPerGroup, previousDilation, normLayer)];
      this._inplanes = planes * expansion;
      for (let i = 1; i < blocks; i++) {
        list.push(new block(this._inplanes, planes, { groups, baseWidth: widthPerGroup, dilation: this._dilation, normLayer }));
      }
      return new Sequential(...list);
    };

    this.registerModule('conv1', new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false }));
    this.registerModule('bn1', norm(64));
    this.registerModule('relu', new ReLU());
    this.registerModule('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    this.registerModule('layer1', makeLayer(64, layers[0]!, 1, false));
    this.registerModule('layer2', makeLayer(128, layers[1]!, 2, rswd[0]!));
    this.registerModule('layer3', makeLayer(256, layers[2]!, 2, rswd[1]!));
    this.registerModule('layer4', makeLayer(512, layers[3]!, 2, rswd[2]!));
    this.registerModule('avgpool', new AdaptiveAvgPool2d([1, 1]));
    this.registerModule('fc', new Linear(512 * block.expansion, numClasses));

    for (const m of this.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      } else if (m instanceof BatchNorm2d) {
        if (m.weight) init.constant_(m.weight, 1);
        if (m.bias) init.constant_(m.bias, 0);
      }
    }
    if (zeroInitResidual) {
      for (const m of this.modules()) {
        const last = m instanceof Bottleneck ? m.bn3 : m instanceof BasicBlock ? m.bn2 : null;
        const w = last ? (last as { weight?: unknown }).weight : null;
        if (w) init.constant_(w as Tensor, 0);
      }
    }
  }

  override forward(x: Tensor): Tensor {
    let y = this.maxpool(this.relu(this.bn1(this.conv1(x)) as Tensor));
    y = this.layer4(this.layer3(this.layer2(this.layer1(y))));
    return this.fc(flatten(this.avgpool(y) as Tensor, 1)) as Tensor;
  }
}

/** Options of the ResNet builders (`resnet18`, …): torchvision's keywords, camelCase. */
export interface ResNetBuilderOptions extends ResNetOptions {
  /**
   * torchvision's `weights`: only `null` (the default) is accepted, as nothing is downloaded at
   * run time. Download the `.pth` yourself and load it: `model.loadStateDict(await loadTorch(path))`.
   */
  weights?: null;
  /** torchvision's `progress` (a download progress bar): accepted and without effect. */
  progress?: boolean;
}

function buildResnet(name: string, file: string, block: ResNetBlock, layers: [number, number, number, number], args: unknown[]): ResNet {
  // torchvision's builders take keyword arguments only
  const a = parseArgs(signature(name, BUILDER_PARAMS, { keywordOnly: BUILDER_PARAMS }), args);
  refuseWeights(name, a.weights, file);
  checkProgress(name, a.progress);
  const { weights: _w, progress: _p, ...options } = a;
  return new ResNet(block, layers, options as ResNetOptions);
}

/**
 * ResNet-18 (torchvision's `resnet18`): `BasicBlock`s `[2, 2, 2, 2]`, 11,689,512 parameters with
 * 1000 classes. torchvision's file is `resnet18-f37072fd.pth`: load it with
 * `resnet18().loadStateDict(await loadTorch(path))`.
 *
 * @example
 * ```ts
 * import { resnet18 } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * const model = resnet18({ numClasses: 10 });
 * model.fc.weight.shape; // [10, 512]
 * model.parameters().reduce((n, p) => n + p.numel(), 0); // 11181642
 * model.dispose();
 * ```
 */
export function resnet18(options?: ResNetBuilderOptions): ResNet;
export function resnet18(...args: unknown[]): ResNet {
  return buildResnet('resnet18', 'resnet18-f37072fd.pth', BasicBlock, [2, 2, 2, 2], args);
}

/**
 * ResNet-34 (torchvision's `resnet34`): `BasicBlock`s `[3, 4, 6, 3]`, 21,797,672 parameters.
 *
 * @example
 * ```ts
 * import { resnet34 } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = resnet34({ numClasses: 10 }); // then model(x), model.layer1, …, model.fc
 * let message = '';
 * try {
 *   resnet34({ weights: 'IMAGENET1K_V2' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('resnet34-b627a593.pth')"); // true
 * ```
 */
export function resnet34(options?: ResNetBuilderOptions): ResNet;
export function resnet34(...args: unknown[]): ResNet {
  return buildResnet('resnet34', 'resnet34-b627a593.pth', BasicBlock, [3, 4, 6, 3], args);
}

/**
 * ResNet-50 (torchvision's `resnet50`): `Bottleneck`s `[3, 4, 6, 3]`, 25,557,032 parameters.
 * torchvision has two files for it, `resnet50-0676ba61.pth` (V1) and `resnet50-11ad3fa6.pth`
 * (V2); both load.
 *
 * @example
 * ```ts
 * import { resnet50 } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = resnet50({ numClasses: 10 }); // then model(x), model.layer1, …, model.fc
 * let message = '';
 * try {
 *   resnet50({ weights: 'IMAGENET1K_V2' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('resnet50-11ad3fa6.pth')"); // true
 * ```
 */
export function resnet50(options?: ResNetBuilderOptions): ResNet;
export function resnet50(...args: unknown[]): ResNet {
  return buildResnet('resnet50', 'resnet50-11ad3fa6.pth', Bottleneck, [3, 4, 6, 3], args);
}

/**
 * ResNet-101 (torchvision's `resnet101`): `Bottleneck`s `[3, 4, 23, 3]`, 44,549,160 parameters.
 *
 * @example
 * ```ts
 * import { resnet101 } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = resnet101({ numClasses: 10 }); // then model(x), model.layer1, …, model.fc
 * let message = '';
 * try {
 *   resnet101({ weights: 'IMAGENET1K_V2' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('resnet101-cd907fc2.pth')"); // true
 * ```
 */
export function resnet101(options?: ResNetBuilderOptions): ResNet;
export function resnet101(...args: unknown[]): ResNet {
  return buildResnet('resnet101', 'resnet101-cd907fc2.pth', Bottleneck, [3, 4, 23, 3], args);
}

/**
 * ResNet-152 (torchvision's `resnet152`): `Bottleneck`s `[3, 8, 36, 3]`, 60,192,808 parameters.
 *
 * @example
 * ```ts
 * import { resnet152 } from '@tensorgrad/vision';
 * import '@tensorgrad/backend-cpu';
 * // const model = resnet152({ numClasses: 10 }); // then model(x), model.layer1, …, model.fc
 * let message = '';
 * try {
 *   resnet152({ weights: 'IMAGENET1K_V2' as never }); // nothing is downloaded: refused
 * } catch (e) {
 *   message = (e as Error).message;
 * }
 * message.includes("loadTorch('resnet152-f82ba261.pth')"); // true
 * ```
 */
export function resnet152(options?: ResNetBuilderOptions): ResNet;
export function resnet152(...args: unknown[]): ResNet {
  return buildResnet('resnet152', 'resnet152-f82ba261.pth', Bottleneck, [3, 8, 36, 3], args);
}
