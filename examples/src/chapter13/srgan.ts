/**
 * The book's chapter 13 super-resolution ("Image super-resolution using SRGAN",
 * `Chapter13/Image_super_resolution_using_SRGAN.ipynb`): the notebook downloads the models of the
 * reference implementation (sgrvinod/a-PyTorch-Tutorial-to-Super-Resolution, `models.py`) and a
 * generator checkpoint trained on ImageNet, and upscales one photo 4×. This module builds the
 * same networks with the reference's names, so its state dicts load unchanged —
 * {@link ConvolutionalBlock}, {@link SubPixelConvolutionalBlock} (`PixelShuffle` + `PReLU`),
 * {@link ResidualBlock}, {@link SRResNet}, {@link Generator}, {@link Discriminator} and
 * {@link TruncatedVGG19} (the content loss's VGG19 features) — and the reference's two training
 * stages: SRResNet on the pixel MSE, then the SRGAN's perceptual loss (MSE of VGG features plus
 * `1e-3 ×` the adversarial BCE-with-logits loss) against a discriminator.
 *
 * Nothing can be downloaded here, so there are no pretrained weights: the pairs are Fashion-MNIST
 * garments (28×28 high resolution) and their bicubic, antialiased down-samplings (7×7 for the
 * book's factor 4), see {@link superResolutionPairs}, and {@link runSrgan} trains a narrow
 * generator from scratch.
 */
import {
  Adam,
  AdaptiveAvgPool2d,
  BatchNorm2d,
  binaryCrossEntropyWithLogits,
  Conv2d,
  cat,
  fromTypedArray,
  keep,
  LeakyReLU,
  Linear,
  makeLayers,
  makeGrid,
  manualSeed,
  Module,
  mseLoss,
  noGrad,
  onesLike,
  PixelShuffle,
  PReLU,
  resize,
  saveImage,
  Sequential,
  Tanh,
  tensor,
  tidy,
  vggConfigs,
  zerosLike,
  summary,
  type AnyModule,
  type Tensor,
} from 'tensorgrad';

/** The activation of a {@link ConvolutionalBlock}: the reference's `'prelu'`, `'leakyrelu'` (slope 0.2) or `'tanh'`. */
export type BlockActivation = 'prelu' | 'leakyrelu' | 'tanh';

/** Options of {@link ConvolutionalBlock} (the reference's keywords, camelCase). */
export interface ConvolutionalBlockOptions {
  /** Stride of the convolution (default 1). */
  stride?: number;
  /** Put a `BatchNorm2d` after the convolution (default false). */
  batchNorm?: boolean;
  /** The activation after it, or `null` for none (default); the case is ignored, as in the reference. */
  activation?: BlockActivation | null;
}

function positive(owner: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`${owner}: expected ${name} to be a positive integer, got ${String(v)}`);
  return v;
}

function checkKeys(owner: string, options: object, allowed: readonly string[]): void {
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new TypeError(`${owner}: unknown option '${k}'; expected one of ${allowed.join(', ')}`);
  }
}

function checkImages(owner: string, x: Tensor, channels: number): void {
  if (x.ndim !== 4 || x.shape[1] !== channels) {
    throw new RangeError(`${owner}: expected images [N, ${channels}, H, W], got [${x.shape.join(', ')}]; repeat a gray image over 3 channels with x.expand([N, 3, H, W])`);
  }
}

/**
 * The reference's `ConvolutionalBlock`: `conv_block = Sequential(Conv2d(in, out, k, stride,
 * padding k // 2)[, BatchNorm2d(out)][, PReLU() | LeakyReLU(0.2) | Tanh()])`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { ConvolutionalBlock } from './srgan.js';
 * const b = new ConvolutionalBlock(3, 8, 3, { stride: 2, batchNorm: true, activation: 'leakyrelu' });
 * Object.keys(b.stateDict()).slice(0, 3); // ['conv_block.0.weight', 'conv_block.0.bias', 'conv_block.1.weight']
 * b(zeros([1, 3, 28, 28])).shape; // [1, 8, 14, 14]
 * ```
 */
export class ConvolutionalBlock extends Module {
  /** The layers. */
  declare conv_block: Sequential;
  /** `ConvolutionalBlock(in_channels, out_channels, kernel_size, stride=1, batch_norm=False, activation=None)`. */
  constructor(inChannels: number, outChannels: number, kernelSize: number, options: ConvolutionalBlockOptions = {}) {
    super();
    checkKeys('ConvolutionalBlock', options, ['stride', 'batchNorm', 'activation']);
    const k = positive('ConvolutionalBlock', 'kernelSize', kernelSize);
    const out = positive('ConvolutionalBlock', 'outChannels', outChannels);
    const act = options.activation == null ? null : String(options.activation).toLowerCase();
    if (act !== null && act !== 'prelu' && act !== 'leakyrelu' && act !== 'tanh') {
      throw new RangeError(`ConvolutionalBlock: expected activation 'prelu', 'leakyrelu', 'tanh' or null, got '${act}'`);
    }
    const layers: AnyModule[] = [new Conv2d(positive('ConvolutionalBlock', 'inChannels', inChannels), out, k, { stride: positive('ConvolutionalBlock', 'stride', options.stride ?? 1), padding: Math.floor(k / 2) })];
    if (options.batchNorm) layers.push(new BatchNorm2d(out));
    if (act === 'prelu') layers.push(new PReLU());
    else if (act === 'leakyrelu') layers.push(new LeakyReLU(0.2));
    else if (act === 'tanh') layers.push(new Tanh());
    this.registerModule('conv_block', new Sequential(...layers));
  }
  override forward(input: Tensor): Tensor {
    return this.conv_block(input) as Tensor;
  }
}

/** Options of {@link SubPixelConvolutionalBlock}. */
export interface SubPixelConvolutionalBlockOptions {
  /** Kernel of the convolution (default 3). */
  kernelSize?: number;
  /** Channels in and out (default 64). */
  nChannels?: number;
  /** Up-scaling of each side (default 2). */
  scalingFactor?: number;
}

/**
 * The reference's `SubPixelConvolutionalBlock`: `conv` (`nChannels → nChannels·s²`),
 * `pixel_shuffle = PixelShuffle(s)`, `prelu = PReLU()` — `[N, C, H, W] → [N, C, sH, sW]`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { SubPixelConvolutionalBlock } from './srgan.js';
 * const b = new SubPixelConvolutionalBlock({ nChannels: 4 });
 * b(zeros([1, 4, 7, 7])).shape; // [1, 4, 14, 14]
 * Object.keys(b.stateDict()); // ['conv.weight', 'conv.bias', 'prelu.weight']
 * ```
 */
export class SubPixelConvolutionalBlock extends Module {
  /** The channel-expanding convolution. */
  declare conv: Conv2d;
  /** `PixelShuffle(scalingFactor)`. */
  declare pixel_shuffle: PixelShuffle;
  /** One shared slope. */
  declare prelu: PReLU;
  /** `SubPixelConvolutionalBlock(kernel_size=3, n_channels=64, scaling_factor=2)`. */
  constructor(options: SubPixelConvolutionalBlockOptions = {}) {
    super();
    checkKeys('SubPixelConvolutionalBlock', options, ['kernelSize', 'nChannels', 'scalingFactor']);
    const k = positive('SubPixelConvolutionalBlock', 'kernelSize', options.kernelSize ?? 3);
    const c = positive('SubPixelConvolutionalBlock', 'nChannels', options.nChannels ?? 64);
    const s = positive('SubPixelConvolutionalBlock', 'scalingFactor', options.scalingFactor ?? 2);
    this.registerModule('conv', new Conv2d(c, c * s * s, k, { padding: Math.floor(k / 2) }));
    this.registerModule('pixel_shuffle', new PixelShuffle(s));
    this.registerModule('prelu', new PReLU());
  }
  override forward(input: Tensor): Tensor {
    return this.prelu(this.pixel_shuffle(this.conv(input)));
  }
}

/**
 * The reference's `ResidualBlock`: `conv_block1` (conv, BN, PReLU), `conv_block2` (conv, BN) and
 * the skip connection `x + conv_block2(conv_block1(x))`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { ResidualBlock } from './srgan.js';
 * const b = new ResidualBlock({ nChannels: 4 });
 * b(zeros([2, 4, 5, 5])).shape; // [2, 4, 5, 5]
 * b.parameters().reduce((n, p) => n + p.numel(), 0); // 2 * (4 * 4 * 9 + 4 + 8) + 1
 * ```
 */
export class ResidualBlock extends Module {
  /** Convolution, batch norm, PReLU. */
  declare conv_block1: ConvolutionalBlock;
  /** Convolution, batch norm. */
  declare conv_block2: ConvolutionalBlock;
  /** `ResidualBlock(kernel_size=3, n_channels=64)`. */
  constructor(options: { kernelSize?: number; nChannels?: number } = {}) {
    super();
    checkKeys('ResidualBlock', options, ['kernelSize', 'nChannels']);
    const k = options.kernelSize ?? 3;
    const c = options.nChannels ?? 64;
    this.registerModule('conv_block1', new ConvolutionalBlock(c, c, k, { batchNorm: true, activation: 'prelu' }));
    this.registerModule('conv_block2', new ConvolutionalBlock(c, c, k, { batchNorm: true }));
  }
  override forward(input: Tensor): Tensor {
    return this.conv_block2(this.conv_block1(input)).add(input);
  }
}

/** Options of {@link SRResNet} and {@link Generator} (the reference's keywords, camelCase). */
export interface SRResNetOptions {
  /** Kernel of the first and last convolutions (default 9). */
  largeKernelSize?: number;
  /** Kernel of the residual and sub-pixel blocks (default 3). */
  smallKernelSize?: number;
  /** Channels between the first and last convolutions (default 64). */
  nChannels?: number;
  /** Residual blocks (default 16). */
  nBlocks?: number;
  /** Up-scaling of each side: 2, 4 (default) or 8, one sub-pixel block per factor 2. */
  scalingFactor?: number;
}

const SRRESNET_KEYS = ['largeKernelSize', 'smallKernelSize', 'nChannels', 'nBlocks', 'scalingFactor'];

/**
 * The reference's `SRResNet` (Ledig et al.): `conv_block1` (3 → 64, kernel 9, PReLU), 16
 * `residual_blocks`, `conv_block2` (kernel 3, BN) with a long skip connection, log₂(s)
 * `subpixel_convolutional_blocks` and `conv_block3` (64 → 3, kernel 9, tanh): a low-resolution
 * image `[N, 3, h, w]` (ImageNet-normalised in the reference) becomes `[N, 3, s·h, s·w]` in
 * [-1, 1]. The reference's default has 1,549,462 parameters.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { SRResNet } from './srgan.js';
 * const m = new SRResNet({ nChannels: 8, nBlocks: 2, scalingFactor: 2 });
 * m(zeros([1, 3, 7, 7])).shape; // [1, 3, 14, 14]
 * m.namedChildren().map(([n]) => n); // ['conv_block1', 'residual_blocks', 'conv_block2', 'subpixel_convolutional_blocks', 'conv_block3']
 * ```
 */
export class SRResNet extends Module {
  /** 3 → nChannels, large kernel, PReLU. */
  declare conv_block1: ConvolutionalBlock;
  /** `nBlocks` {@link ResidualBlock}s. */
  declare residual_blocks: Sequential;
  /** Small kernel, BN, no activation. */
  declare conv_block2: ConvolutionalBlock;
  /** log₂(scalingFactor) {@link SubPixelConvolutionalBlock}s of factor 2. */
  declare subpixel_convolutional_blocks: Sequential;
  /** nChannels → 3, large kernel, tanh. */
  declare conv_block3: ConvolutionalBlock;
  /** The up-scaling of each side. */
  readonly scalingFactor: number;
  /** `SRResNet(large_kernel_size=9, small_kernel_size=3, n_channels=64, n_blocks=16, scaling_factor=4)`. */
  constructor(options: SRResNetOptions = {}) {
    super();
    checkKeys('SRResNet', options, SRRESNET_KEYS);
    const large = options.largeKernelSize ?? 9;
    const small = options.smallKernelSize ?? 3;
    const c = options.nChannels ?? 64;
    const nBlocks = options.nBlocks ?? 16;
    if (!Number.isInteger(nBlocks) || nBlocks < 0) throw new RangeError(`SRResNet: expected nBlocks to be a non-negative integer, got ${String(nBlocks)}`);
    const s = options.scalingFactor ?? 4;
    if (s !== 2 && s !== 4 && s !== 8) throw new RangeError(`SRResNet: expected scalingFactor 2, 4 or 8 (one sub-pixel block per factor 2), got ${String(s)}`);
    this.scalingFactor = s;
    this.registerModule('conv_block1', new ConvolutionalBlock(3, c, large, { activation: 'prelu' }));
    this.registerModule('residual_blocks', new Sequential(...Array.from({ length: nBlocks }, () => new ResidualBlock({ kernelSize: small, nChannels: c }))));
    this.registerModule('conv_block2', new ConvolutionalBlock(c, c, small, { batchNorm: true }));
    this.registerModule(
      'subpixel_convolutional_blocks',
      new Sequential(...Array.from({ length: Math.log2(s) }, () => new SubPixelConvolutionalBlock({ kernelSize: small, nChannels: c, scalingFactor: 2 }))),
    );
    this.registerModule('conv_block3', new ConvolutionalBlock(c, 3, large, { activation: 'tanh' }));
  }
  override forward(lrImgs: Tensor): Tensor {
    checkImages('SRResNet', lrImgs, 3);
    const first = this.conv_block1(lrImgs);
    const body = this.conv_block2(this.residual_blocks(first) as Tensor).add(first);
    return this.conv_block3(this.subpixel_convolutional_blocks(body) as Tensor);
  }
}

/**
 * The SRGAN's generator: the reference's `Generator`, an {@link SRResNet} held as `net` (keys
 * `net.conv_block1.conv_block.0.weight`, …), so a trained SRResNet initialises it with
 * `generator.net.loadStateDict(srresnet.stateDict())` (the reference's `initialize_with_srresnet`).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Generator } from './srgan.js';
 * const g = new Generator({ nChannels: 8, nBlocks: 1 });
 * g(zeros([1, 3, 7, 7])).shape; // [1, 3, 28, 28]
 * Object.keys(g.stateDict())[0]; // 'net.conv_block1.conv_block.0.weight'
 * ```
 */
export class Generator extends Module {
  /** The SRResNet. */
  declare net: SRResNet;
  /** `Generator(large_kernel_size=9, small_kernel_size=3, n_channels=64, n_blocks=16, scaling_factor=4)`. */
  constructor(options: SRResNetOptions = {}) {
    super();
    checkKeys('Generator', options, SRRESNET_KEYS);
    this.registerModule('net', new SRResNet(options));
  }
  override forward(lrImgs: Tensor): Tensor {
    return this.net(lrImgs);
  }
}

/** Options of {@link Discriminator} (the reference's keywords, camelCase). */
export interface DiscriminatorOptions {
  /** Kernel of every convolution (default 3). */
  kernelSize?: number;
  /** Channels of the first block, doubled every second block (default 64). */
  nChannels?: number;
  /** Convolutional blocks (default 8). */
  nBlocks?: number;
  /** Width of the first fully connected layer (default 1024). */
  fcSize?: number;
}

/**
 * The reference's SRGAN `Discriminator`: `nBlocks` {@link ConvolutionalBlock}s with LeakyReLU(0.2)
 * (odd blocks: stride 1 and double the channels, even blocks: stride 2; batch norm after all but
 * the first), `adaptive_pool = AdaptiveAvgPool2d([6, 6])`, `fc1` (→ 1024), LeakyReLU(0.2) and `fc2`
 * (→ 1 logit, for `BCEWithLogitsLoss`). The reference's default has 23,565,505 parameters. (The
 * reference builds `fc2` as `Linear(1024, 1)` whatever `fc_size`; here it takes `fcSize`, the
 * same at the default.)
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Discriminator } from './srgan.js';
 * const d = new Discriminator({ nChannels: 4, nBlocks: 4, fcSize: 16 });
 * d(zeros([2, 3, 28, 28])).shape; // [2, 1]
 * d.fc1.inFeatures; // 8 * 6 * 6
 * ```
 */
export class Discriminator extends Module {
  /** The convolutional blocks. */
  declare conv_blocks: Sequential;
  /** `AdaptiveAvgPool2d([6, 6])`. */
  declare adaptive_pool: AdaptiveAvgPool2d;
  /** `Linear(channels · 36, fcSize)`. */
  declare fc1: Linear;
  /** `LeakyReLU(0.2)`. */
  declare leaky_relu: LeakyReLU;
  /** `Linear(fcSize, 1)`. */
  declare fc2: Linear;
  /** `Discriminator(kernel_size=3, n_channels=64, n_blocks=8, fc_size=1024)`. */
  constructor(options: DiscriminatorOptions = {}) {
    super();
    checkKeys('Discriminator', options, ['kernelSize', 'nChannels', 'nBlocks', 'fcSize']);
    const k = options.kernelSize ?? 3;
    const c = options.nChannels ?? 64;
    const nBlocks = positive('Discriminator', 'nBlocks', options.nBlocks ?? 8);
    const fc = positive('Discriminator', 'fcSize', options.fcSize ?? 1024);
    const blocks: ConvolutionalBlock[] = [];
    let inChannels = 3;
    let outChannels = c;
    for (let i = 0; i < nBlocks; i++) {
      outChannels = i % 2 === 0 ? (i === 0 ? c : inChannels * 2) : inChannels;
      blocks.push(new ConvolutionalBlock(inChannels, outChannels, k, { stride: i % 2 === 0 ? 1 : 2, batchNorm: i !== 0, activation: 'leakyrelu' }));
      inChannels = outChannels;
    }
    this.registerModule('conv_blocks', new Sequential(...blocks));
    this.registerModule('adaptive_pool', new AdaptiveAvgPool2d([6, 6]));
    this.registerModule('fc1', new Linear(outChannels * 36, fc));
    this.registerModule('leaky_relu', new LeakyReLU(0.2));
    this.registerModule('fc2', new Linear(fc, 1));
  }
  override forward(imgs: Tensor): Tensor {
    checkImages('Discriminator', imgs, 3);
    const features = this.adaptive_pool(this.conv_blocks(imgs) as Tensor);
    return this.fc2(this.leaky_relu(this.fc1(features.reshape([imgs.shape[0]!, -1]))));
  }
}

/**
 * The reference's `TruncatedVGG19(i, j)`: VGG19's `features` up to the `j`-th convolution (and its
 * ReLU) after the `(i-1)`-th max-pool, as `truncated_vgg19` (a `Sequential` numbered as
 * torchvision's `features`). The SRGAN's content loss is the MSE of these feature maps; the
 * reference uses `i = 5, j = 4` (the first 36 layers, 20,024,384 parameters). The layers are
 * vision's `makeLayers` on the prefix of `vggConfigs.E` (the features `vgg19()` builds, numbered
 * the same), without the layers after the cut and the 120 M-parameter classifier. Weights: {@link TruncatedVGG19.loadVgg19StateDict} with torchvision's
 * `vgg19-dcbb9e9d.pth` read by `loadTorch`; otherwise they are random.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { TruncatedVGG19 } from './srgan.js';
 * const v = new TruncatedVGG19(2, 1);
 * v.truncated_vgg19.length; // 7
 * v(zeros([1, 3, 8, 8])).shape; // [1, 128, 4, 4]
 * ```
 */
export class TruncatedVGG19 extends Module {
  /** The kept layers of VGG19's `features`. */
  declare truncated_vgg19: Sequential;
  /** `TruncatedVGG19(i, j)`. */
  constructor(i: number, j: number) {
    super();
    // the prefix of VGG19's configuration up to the j-th convolution after the (i-1)-th max-pool:
    // makeLayers numbers its layers as torchvision's features, so only the kept layers are built
    const cfg = vggConfigs.E;
    let pools = 0;
    let convs = 0;
    let end = -1;
    for (let k = 0; k < cfg.length; k++) {
      if (cfg[k] === 'M') {
        pools++;
        convs = 0;
      } else convs++;
      if (pools === i - 1 && convs === j && cfg[k] !== 'M') {
        end = k + 1;
        break;
      }
    }
    if (end < 0) {
      throw new RangeError(`TruncatedVGG19: i=${String(i)}, j=${String(j)} is not a convolution of VGG19; expected i in 1..5 and j in 1..2 (i ≤ 2) or 1..4 (i ≥ 3)`);
    }
    // each convolution is followed by its ReLU, which is kept
    const kept = makeLayers(cfg.slice(0, end)).children();
    this.registerModule('truncated_vgg19', new Sequential(...kept));
    for (const p of this.parameters()) p.requiresGrad_(false);
  }

  /**
   * Loads the kept layers from a torchvision VGG19 state dict (`features.0.weight`, …; the
   * classifier's keys are ignored). Throws naming the first missing key.
   */
  loadVgg19StateDict(stateDict: Record<string, Tensor>): void {
    const mine: Record<string, Tensor> = {};
    // the keys only: stateDict()'s views are the caller's to dispose
    const own = this.stateDict();
    const keys = Object.keys(own);
    for (const t of Object.values(own)) t.dispose();
    for (const key of keys) {
      const theirs = key.replace(/^truncated_vgg19\./, 'features.');
      const t = stateDict[theirs];
      if (!t) throw new RangeError(`TruncatedVGG19: the state dict has no '${theirs}'; expected torchvision's vgg19 weights (vgg19-dcbb9e9d.pth) with keys features.0.weight …`);
      mine[key] = t;
    }
    this.loadStateDict(mine);
  }

  override forward(input: Tensor): Tensor {
    return this.truncated_vgg19(input) as Tensor;
  }
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/**
 * The reference's `convert_image(img, source, 'imagenet-norm')` on `[N, 3, H, W]`: images in
 * [-1, 1] (`from: '[-1, 1]'`, the generator's output and the targets; the default) or in [0, 1]
 * (`from: '[0, 1]'`, the low-resolution inputs) to [0, 1], then ImageNet's per-channel mean and
 * standard deviation — what the generator, the VGG19 and the discriminator take.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { imagenetNorm } from './srgan.js';
 * const x = tensor([[[[1]], [[1]], [[-1]]]]);
 * Array.from(imagenetNorm(x).dataSync(), (v) => Math.round(v * 1000) / 1000); // [2.249, 2.429, -1.804]
 * Array.from(imagenetNorm(tensor([[[[0.485]], [[0.456]], [[0.406]]]]), '[0, 1]').dataSync(), (v) => Math.round(v * 1e6) / 1e6); // [0, 0, 0]
 * ```
 */
export function imagenetNorm(x: Tensor, from: '[-1, 1]' | '[0, 1]' = '[-1, 1]'): Tensor {
  checkImages('imagenetNorm', x, 3);
  if (from !== '[-1, 1]' && from !== '[0, 1]') throw new RangeError(`imagenetNorm: expected from '[-1, 1]' or '[0, 1]', got '${String(from)}'`);
  const mean = tensor(IMAGENET_MEAN).reshape([1, 3, 1, 1]);
  const std = tensor(IMAGENET_STD).reshape([1, 3, 1, 1]);
  const unit = from === '[-1, 1]' ? x.add(1).div(2) : x;
  return unit.sub(mean).div(std);
}

/** Low/high-resolution pairs held in memory. */
export interface SuperResolutionPairs {
  /** High resolution in [-1, 1], `[N, 3, 28, 28]` (the gray garment on 3 channels): the target. */
  hr: Tensor;
  /** Low resolution in [0, 1], `[N, 3, 28/s, 28/s]`: bicubic, antialiased down-sampling of `hr`. */
  lr: Tensor;
}

/**
 * Builds super-resolution pairs from Fashion-MNIST images (`[N, 28, 28]`, 0–255): the high
 * resolution image on 3 channels in [-1, 1] and its down-sampling by `scalingFactor` with vision's
 * `resize` (bicubic, antialiased as PIL's, which the reference uses), clamped to [0, 1].
 *
 * @example
 * ```ts
 * import { ones } from 'tensorgrad';
 * import { superResolutionPairs } from './srgan.js';
 * const p = superResolutionPairs(ones([2, 28, 28]).mul(255), 4);
 * [p.hr.shape, p.lr.shape]; // [[2, 3, 28, 28], [2, 3, 7, 7]]
 * await p.lr.max().item(); // 1
 * ```
 */
export function superResolutionPairs(images: Tensor, scalingFactor: number): SuperResolutionPairs {
  if (images.ndim !== 3) throw new RangeError(`superResolutionPairs: expected images [N, H, W] with values 0–255, got [${images.shape.join(', ')}]`);
  const [n, h, w] = images.shape as [number, number, number];
  if (h % scalingFactor !== 0 || w % scalingFactor !== 0) throw new RangeError(`superResolutionPairs: expected sides divisible by scalingFactor ${scalingFactor}, got ${h}×${w}`);
  return tidy(() => {
    const unit = images.float().div(255).reshape([n, 1, h, w]).expand([n, 3, h, w]).contiguous();
    const lr = resize(unit, [h / scalingFactor, w / scalingFactor], { interpolation: 'bicubic', antialias: true }).clamp(0, 1);
    return { hr: keep(unit.mul(2).sub(1)), lr: keep(lr) };
  });
}

/**
 * The bicubic baseline: `lr` (`[N, 3, h, w]` in [0, 1]) up-sampled to `size` with vision's
 * `resize`, clamped to [0, 1].
 *
 * @example
 * ```ts
 * import { ones } from 'tensorgrad';
 * import { bicubicUpsample } from './srgan.js';
 * bicubicUpsample(ones([1, 3, 7, 7]), 28).shape; // [1, 3, 28, 28]
 * ```
 */
export function bicubicUpsample(lr: Tensor, size: number): Tensor {
  return tidy(() => resize(lr, [size, size], { interpolation: 'bicubic', antialias: true }).clamp(0, 1));
}

/**
 * Mean peak signal-to-noise ratio in dB of `[N, C, H, W]` images in [0, 1], per image
 * `10·log10(1 / MSE)` over its gray values (the channels' mean), then averaged over the batch.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { psnr } from './srgan.js';
 * Math.round(psnr(tensor([[[[0.5, 0.5]]]]), tensor([[[[0.6, 0.4]]]])) * 1000) / 1000; // 20
 * ```
 */
export function psnr(prediction: Tensor, target: Tensor): number {
  return tidy(() => {
    const err = prediction.mean(1).sub(target.mean(1)).square().reshape([prediction.shape[0]!, -1]).mean(1);
    const per = err.dataSync() as Float32Array;
    let s = 0;
    for (const e of per) s += 10 * Math.log10(1 / Math.max(e, 1e-10));
    return s / per.length;
  });
}

/** Options of {@link runSrgan}. */
export interface SrganOptions {
  /** Training garments (the first N of Fashion-MNIST's training set; default 4000). */
  train?: number;
  /** Held-out garments (the first N of the test set; default 500). */
  test?: number;
  /** Up-scaling: 2 (14→28) or 4 (7→28, the book's; default). */
  scalingFactor?: number;
  /** Generator channels (default 32; the reference's 64). */
  nChannels?: number;
  /** Generator residual blocks (default 4; the reference's 16). */
  nBlocks?: number;
  /** Discriminator channels of the first block (default 16; the reference's 64). */
  discChannels?: number;
  /** Discriminator `fcSize` (default 256; the reference's 1024). */
  fcSize?: number;
  /** SRResNet epochs on the pixel MSE (default 3). */
  srresnetEpochs?: number;
  /** SRGAN steps after them (default 100). */
  ganSteps?: number;
  /** Images per step (default 16, the reference's). */
  batchSize?: number;
  /** Adam's learning rate of the SRResNet stage (default 1e-3; the reference's 1e-4 over 10⁶ steps). */
  lr?: number;
  /** Adam's learning rate of the SRGAN stage (default 1e-4, the reference's). */
  ganLr?: number;
  /** Weight of the adversarial loss (default 1e-3, the reference's `beta`). */
  beta?: number;
  /** VGG19 truncation `[i, j]` of the content loss (default [5, 4], the reference's). */
  vgg?: [number, number];
  /** torchvision's VGG19 state dict (`loadTorch('vgg19-dcbb9e9d.pth')`); random weights without it. */
  vggWeights?: Record<string, Tensor>;
  /** Seed of the initialisation and the batch order (default 0). */
  seed?: number;
  /** Where to write the grid `srgan-grid.png`: bicubic | SRResNet | SRGAN | high resolution (none without). */
  out?: string;
  /** Garments in the grid (default 8). */
  gridSize?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Fashion-MNIST images `[N, 28, 28]` (0–255) to use instead of loading the data set: train and test. */
  data?: { train: Tensor; test: Tensor };
}

/** What {@link runSrgan} measured. */
export interface SrganResult {
  /** Generator and discriminator parameter counts. */
  parameters: { generator: number; discriminator: number; truncatedVgg19: number };
  /** `summary(...)` tables of the generator and the discriminator. */
  summaries: { generator: string; discriminator: string };
  /** Mean pixel MSE per SRResNet epoch. */
  srresnetLosses: number[];
  /** Per SRGAN step: content (VGG MSE), adversarial (generator's BCE) and discriminator losses. */
  ganLosses: { content: number; adversarial: number; discriminator: number }[];
  /** Held-out PSNR (dB): bicubic, after the SRResNet stage, after the SRGAN stage. */
  psnr: { bicubic: number; srresnet: number; srgan: number };
  /** Whether the content loss used given VGG19 weights. */
  pretrainedVgg: boolean;
  /** Path of the grid, if written. */
  grid: string | null;
  /** Wall time in seconds per stage. */
  seconds: { srresnet: number; srgan: number };
}

function order(n: number, seed: number): number[] {
  let rng = seed >>> 0 || 1;
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    const j = Math.floor((rng / 4294967296) * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

function batchOf(t: Tensor, idx: readonly number[]): Tensor {
  return t.indexSelect(0, fromTypedArray(Int32Array.from(idx), [idx.length]));
}

/**
 * The generator's output for `lr` (`[N, 3, h, w]` in [0, 1], ImageNet-normalised on the way in as
 * the reference does) in batches of `batchSize`, in eval mode and without gradients, as [0, 1]
 * images `[N, 3, s·h, s·w]`; the generator's mode is restored.
 *
 * @example
 * ```ts
 * import { rand } from 'tensorgrad';
 * import { Generator, superResolve } from './srgan.js';
 * const g = new Generator({ nChannels: 4, nBlocks: 1, scalingFactor: 2 });
 * const sr = superResolve(g, rand([3, 3, 7, 7]), 2);
 * sr.shape; // [3, 3, 14, 14]
 * g.training; // true
 * ```
 */
export function superResolve(generator: Generator, lr: Tensor, batchSize = 64): Tensor {
  return tidy(() =>
    noGrad(() => {
      const mode = generator.training;
      generator.eval();
      const parts: Tensor[] = [];
      for (let i = 0; i < lr.shape[0]!; i += batchSize) {
        const x = lr.narrow(0, i, Math.min(batchSize, lr.shape[0]! - i));
        parts.push(generator(imagenetNorm(x, '[0, 1]')).add(1).div(2).clamp(0, 1));
      }
      generator.train(mode);
      return parts.length === 1 ? parts[0]! : cat(parts, 0);
    }),
  );
}

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);

async function fashionImages(train: number, test: number): Promise<{ train: Tensor; test: Tensor }> {
  const { FashionMNIST } = await import('tensorgrad');
  const tr = await FashionMNIST.load({ train: true, dtype: 'float32' });
  const te = await FashionMNIST.load({ train: false, dtype: 'float32' });
  const out = { train: keep(tr.data.narrow(0, 0, Math.min(train, tr.data.shape[0]!)).contiguous()), test: keep(te.data.narrow(0, 0, Math.min(test, te.data.shape[0]!)).contiguous()) };
  tr.data.dispose();
  tr.targets.dispose();
  te.data.dispose();
  te.targets.dispose();
  return out;
}

/**
 * The reference's two stages on Fashion-MNIST pairs: an SRResNet trained on the pixel MSE
 * (`srresnetEpochs`), then the SRGAN (generator initialised with the SRResNet, the reference's
 * `initialize_with_srresnet`) for `ganSteps` steps: the generator minimises the MSE of truncated
 * VGG19 features of its output and the target (both ImageNet-normalised) plus `beta ×` the
 * BCE-with-logits of the discriminator calling its output real, then the discriminator minimises
 * BCE-with-logits on real (high resolution) and generated images. Prints (`log`) the summaries,
 * the losses and the held-out PSNR of bicubic up-sampling, the SRResNet and the SRGAN; writes a
 * grid (rows of garments: bicubic | SRResNet | SRGAN | high resolution) to `out/srgan-grid.png`.
 *
 * @example
 * ```ts
 * import { randint } from 'tensorgrad';
 * import { runSrgan } from './srgan.js';
 * const data = { train: randint(0, 256, [8, 28, 28]).float(), test: randint(0, 256, [4, 28, 28]).float() };
 * const r = await runSrgan({ data, nChannels: 4, nBlocks: 1, discChannels: 4, fcSize: 8, srresnetEpochs: 1, ganSteps: 1, batchSize: 8, vgg: [1, 1] });
 * [r.srresnetLosses.length, r.ganLosses.length]; // [1, 1]
 * r.parameters.truncatedVgg19; // 3 * 64 * 9 + 64
 * ```
 */
export async function runSrgan(options: SrganOptions = {}): Promise<SrganResult> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 0;
  const s = options.scalingFactor ?? 4;
  const batchSize = options.batchSize ?? 16;
  const beta = options.beta ?? 1e-3;
  const [vi, vj] = options.vgg ?? [5, 4];
  const data = options.data ?? (await fashionImages(options.train ?? 4000, options.test ?? 500));
  const train = superResolutionPairs(data.train, s);
  const test = superResolutionPairs(data.test, s);
  if (!options.data) {
    data.train.dispose();
    data.test.dispose();
  }
  const size = train.hr.shape[2]!;
  manualSeed(seed);
  const generator = new Generator({ nChannels: options.nChannels ?? 32, nBlocks: options.nBlocks ?? 4, scalingFactor: s });
  const discriminator = new Discriminator({ nChannels: options.discChannels ?? 16, fcSize: options.fcSize ?? 256 });
  const vgg = new TruncatedVGG19(vi, vj);
  const pretrainedVgg = options.vggWeights !== undefined;
  if (options.vggWeights) vgg.loadVgg19StateDict(options.vggWeights);
  else log(`note: TruncatedVGG19(${vi}, ${vj}) has random weights (no VGG19 .pth given): the content loss compares random features, not the paper's perceptual ones; pass --vgg-weights vgg19-dcbb9e9d.pth`);
  vgg.eval();
  const summaries = { generator: summary(generator, [3, size / s, size / s]).text, discriminator: summary(discriminator, [3, size, size]).text };
  const parameters = { generator: count(generator), discriminator: count(discriminator), truncatedVgg19: count(vgg) };
  log(`Generator (SRResNet, ${options.nChannels ?? 32} channels, ${options.nBlocks ?? 4} residual blocks, scaling factor ${s}):\n${summaries.generator}`);
  log(`Discriminator (${options.discChannels ?? 16} channels, fc ${options.fcSize ?? 256}):\n${summaries.discriminator}`);
  log(`parameters: generator ${parameters.generator}, discriminator ${parameters.discriminator}, TruncatedVGG19(${vi}, ${vj}) ${parameters.truncatedVgg19} (frozen)`);
  const n = train.hr.shape[0]!;
  const testHr01 = tidy(() => keep(test.hr.add(1).div(2)));
  const evalPsnr = (): number => {
    const sr = superResolve(generator, test.lr);
    const v = psnr(sr, testHr01);
    sr.dispose();
    return v;
  };
  const bicubicUp = bicubicUpsample(test.lr, size);
  const bicubic = psnr(bicubicUp, testHr01);
  log(`held-out PSNR of bicubic up-sampling: ${bicubic.toFixed(2)} dB (${test.hr.shape[0]} garments, ${size / s}×${size / s} → ${size}×${size})`);
  const srresnetLosses: number[] = [];
  const ganLosses: SrganResult['ganLosses'] = [];
  let grid: string | null = null;
  let srresnetGrid: Tensor | null = null;
  // the grid's low-resolution inputs: a view of test.lr, disposed with it
  let gridLr: Tensor | null = null;
  const t0 = Date.now();
  const optG = new Adam(generator.parameters(), { lr: options.lr ?? 1e-3 });
  try {
    // stage 1: SRResNet on the pixel MSE (reference: train_srresnet.py)
    const epochs = options.srresnetEpochs ?? 3;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const te = Date.now();
      const perm = order(n, seed * 7919 + epoch);
      let sum = 0;
      let steps = 0;
      generator.train();
      for (let i = 0; i < n; i += batchSize) {
        const idx = perm.slice(i, i + batchSize);
        sum += tidy(() => {
          const lr = imagenetNorm(batchOf(train.lr, idx), '[0, 1]');
          const loss = mseLoss(generator(lr), batchOf(train.hr, idx));
          loss.backward();
          optG.step();
          optG.zeroGrad();
          return loss.itemSync() as number;
        });
        steps++;
      }
      srresnetLosses.push(sum / steps);
      log(`SRResNet epoch ${epoch}/${epochs}: pixel MSE ${(sum / steps).toFixed(5)}, held-out PSNR ${evalPsnr().toFixed(2)} dB (${((Date.now() - te) / 1000).toFixed(1)} s)`);
    }
    const srresnetPsnr = evalPsnr();
    const k = Math.min(options.gridSize ?? 8, test.hr.shape[0]!);
    if (options.out) {
      gridLr = test.lr.narrow(0, 0, k);
      srresnetGrid = superResolve(generator, gridLr);
    }
    const t1 = Date.now();
    // stage 2: SRGAN (reference: train_srgan.py); the generator starts from the SRResNet
    const optimizerG = new Adam(generator.parameters(), { lr: options.ganLr ?? 1e-4 });
    const optimizerD = new Adam(discriminator.parameters(), { lr: options.ganLr ?? 1e-4 });
    const ganSteps = options.ganSteps ?? 100;
    try {
      let perm = order(n, seed * 7919 + 1000);
      let at = 0;
      for (let step = 1; step <= ganSteps; step++) {
        if (at + batchSize > n && at > 0) {
          perm = order(n, seed * 7919 + 1000 + step);
          at = 0;
        }
        const idx = perm.slice(at, at + batchSize);
        at += batchSize;
        const losses = tidy(() => {
          generator.train();
          discriminator.train();
          const lr = imagenetNorm(batchOf(train.lr, idx), '[0, 1]');
          const hr = imagenetNorm(batchOf(train.hr, idx));
          const sr = imagenetNorm(generator(lr));
          const srFeatures = vgg(sr);
          const hrFeatures = noGrad(() => vgg(hr));
          const srLogit = discriminator(sr);
          const content = mseLoss(srFeatures, hrFeatures);
          const adversarial = binaryCrossEntropyWithLogits(srLogit, onesLike(srLogit));
          const perceptual = content.add(adversarial.mul(beta));
          optimizerG.zeroGrad();
          perceptual.backward();
          optimizerG.step();
          const hrLogit = discriminator(hr);
          const fakeLogit = discriminator(sr.detach());
          const dLoss = binaryCrossEntropyWithLogits(fakeLogit, zerosLike(fakeLogit)).add(binaryCrossEntropyWithLogits(hrLogit, onesLike(hrLogit)));
          optimizerD.zeroGrad();
          dLoss.backward();
          optimizerD.step();
          return { content: content.itemSync() as number, adversarial: adversarial.itemSync() as number, discriminator: dLoss.itemSync() as number };
        });
        ganLosses.push(losses);
        if (step % 10 === 0 || step === ganSteps) {
          const last = ganLosses.slice(-10);
          const mean = (k: 'content' | 'adversarial' | 'discriminator'): string => (last.reduce((a, l) => a + l[k], 0) / last.length).toPrecision(4);
          log(`SRGAN step ${step}/${ganSteps}: content (VGG MSE) ${mean('content')}, adversarial ${mean('adversarial')}, discriminator ${mean('discriminator')}`);
        }
      }
    } finally {
      optimizerG.dispose();
      optimizerD.dispose();
    }
    const srganPsnr = ganSteps > 0 ? evalPsnr() : srresnetPsnr;
    const t2 = Date.now();
    log(`held-out PSNR: bicubic ${bicubic.toFixed(2)} dB, SRResNet ${srresnetPsnr.toFixed(2)} dB, SRGAN ${srganPsnr.toFixed(2)} dB`);
    if (options.out) {
      const { mkdirSync } = await import('node:fs');
      const { join } = await import('node:path');
      mkdirSync(options.out, { recursive: true });
      const k = srresnetGrid!.shape[0]!;
      const sr = superResolve(generator, gridLr!);
      const rows = tidy(() => {
        const tiles: Tensor[] = [];
        for (let i = 0; i < k; i++) tiles.push(bicubicUp.select(0, i), srresnetGrid!.select(0, i), sr.select(0, i), testHr01.select(0, i));
        return makeGrid(tiles, { nrow: 4, padding: 2, padValue: 1 });
      });
      grid = join(options.out, 'srgan-grid.png');
      await saveImage(rows, grid);
      rows.dispose();
      sr.dispose();
      log(`wrote ${grid} (rows: bicubic | SRResNet | SRGAN | high resolution)`);
    }
    return {
      parameters,
      summaries,
      srresnetLosses,
      ganLosses,
      psnr: { bicubic, srresnet: srresnetPsnr, srgan: srganPsnr },
      pretrainedVgg,
      grid,
      seconds: { srresnet: (t1 - t0) / 1000, srgan: (t2 - t1) / 1000 },
    };
  } finally {
    optG.dispose();
    for (const m of [generator, discriminator, vgg]) m.dispose();
    for (const t of [train.hr, train.lr, test.hr, test.lr, testHr01, bicubicUp]) t.dispose();
    srresnetGrid?.dispose();
    gridLr?.dispose();
  }
}
