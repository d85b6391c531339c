import { cat, pad, type Tensor } from '@tensorgrad/tensor';
import { BatchNorm2d, Conv2d, ConvTranspose2d, init, MaxPool2d, Module, ReLU, Sequential, Upsample, type AnyModule, type LoadStateDictOptions, type LoadStateDictResult } from '@tensorgrad/layers';
import { parseArgs, refuseUnsupported, signature } from '../../args.js';
import { makeLayers, vggConfigs } from '../vgg.js';

const UNET_VGG = signature('new UNetVgg16Bn', ['pretrained', 'outChannels'], {});
const UNET = signature('new UNet', ['inChannels', 'numClasses', 'bilinear', 'baseChannels', 'depth'], {});

function positiveInt(owner: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new TypeError(`${owner}: expected ${name} to be a positive integer, got ${String(v)}`);
  return v;
}

function checkImages(owner: string, x: Tensor, channels: number, multiple: number): void {
  if (x.ndim !== 4 || x.shape[1] !== channels) {
    throw new RangeError(`${owner}: expected images [N, ${channels}, H, W], got [${x.shape.join(', ')}]`);
  }
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  if (h % multiple !== 0 || w % multiple !== 0 || h === 0 || w === 0) {
    throw new RangeError(
      `${owner}: expected the height and width to be positive multiples of ${multiple} (the encoder halves them ${Math.log2(multiple)} times and the decoder concatenates each stage with its skip connection), got ${h}×${w}; resize or pad the images, e.g. to ${Math.max(multiple, Math.round(h / multiple) * multiple)}×${Math.max(multiple, Math.round(w / multiple) * multiple)}`,
    );
  }
}

/** The book's `conv(in_channels, out_channels)`: `Sequential(Conv2d(in, out, 3, 1, 1), BatchNorm2d(out), ReLU)`. */
function conv(inChannels: number, outChannels: number): Sequential {
  return new Sequential(new Conv2d(inChannels, outChannels, 3, { stride: 1, padding: 1 }), new BatchNorm2d(outChannels), new ReLU());
}

/**
 * The book's `up_conv(in_channels, out_channels)`: a bare `ConvTranspose2d(in, out, kernel_size=2,
 * stride=2)` — no activation and no `Sequential`, so its state-dict keys are `up_convK.weight`.
 */
function upConv(inChannels: number, outChannels: number): ConvTranspose2d {
  return new ConvTranspose2d(inChannels, outChannels, 2, { stride: 2 });
}

/** The encoder slices of the book's U-Net: `nn.Sequential(*self.encoder[a:b])`. */
const VGG_BLOCKS: readonly (readonly [string, number, number])[] = [
  ['block1', 0, 6],
  ['block2', 6, 13],
  ['block3', 13, 20],
  ['block4', 20, 27],
  ['block5', 27, 34],
  ['bottleneck', 34, 44],
];

/** Options of {@link UNetVgg16Bn} (the book's keywords, camelCase). */
export interface UNetVgg16BnOptions {
  /**
   * The book's `pretrained` (ImageNet weights for the `vgg16_bn` encoder): only `false` (the
   * default here) is accepted, as nothing is downloaded at run time; load torchvision's
   * `vgg16_bn-6c64b313.pth` into {@link UNetVgg16Bn.encoder} yourself (see the class).
   */
  pretrained?: false;
  /** Classes of the per-pixel output (the book's `out_channels`, default 12 as in the book). */
  outChannels?: number;
}

/**
 * The U-Net of the book's chapter 9 ("Implementing semantic segmentation using U-Net"): the
 * `features` of a `vgg16_bn` (torchvision's, see {@link makeLayers}) as `encoder`, cut into
 * `block1 = encoder[:6]` (64 channels, full size), `block2 = encoder[6:13]` (128, ½),
 * `block3 = encoder[13:20]` (256, ¼), `block4 = encoder[20:27]` (512, ⅛), `block5 = encoder[27:34]`
 * (512, 1/16) and `bottleneck = encoder[34:]` (512, 1/32); then `conv_bottleneck = conv(512, 1024)`
 * and five up-sampling stages `up_convK = up_conv(…)` (a bare `ConvTranspose2d(k 2, stride 2)`,
 * no activation) each followed by `cat` with the encoder block of the same size and `convK = conv(…)` (a
 * 3×3 `Conv2d`, `BatchNorm2d`, `ReLU`): 1024→512 (+512), 512→256 (+512), 256→128 (+256),
 * 128→64 (+128), 64→32 (+64), and `conv11 = Conv2d(32, outChannels, 1)`. The output is
 * `[N, outChannels, H, W]` logits for `[N, 3, H, W]` images, H and W multiples of 32.
 *
 * As in PyTorch the blocks share their layers with `encoder`, so the state dict holds every
 * encoder tensor twice (`encoder.0.weight` and `block1.0.weight`, …) exactly like the book's
 * `model.state_dict()`, and a state dict the book's PyTorch model saved loads with
 * `loadStateDict(sd, { strict: true })`; `parameters()` counts each once (29,311,308 parameters
 * with 12 classes, as PyTorch's `sum(p.numel() for p in model.parameters())`). The encoder has
 * torchvision's VGG initialisation (kaiming normal, fan_out), the decoder PyTorch's default one.
 *
 * For the book's ImageNet encoder: `model.encoder.loadStateDict(features, { strict: true })` with
 * the `features.*` entries of torchvision's `vgg16_bn-6c64b313.pth` (`loadTorch` from
 * `@tensorgrad/io`) renamed without their `features.` prefix.
 *
 * @example
 * ```ts
 * import { UNetVgg16Bn } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const model = new UNetVgg16Bn({ outChannels: 3 }).eval();
 * model(zeros([1, 3, 32, 32])).shape; // [1, 3, 32, 32]
 * model.namedChildren().map(([n]) => n).slice(0, 8).join(' '); // 'encoder block1 block2 block3 block4 block5 bottleneck conv_bottleneck'
 * const keys = Object.keys(model.stateDict()); // the book's PyTorch model has the same 236 keys
 * [keys.length, keys.includes('encoder.7.weight'), keys.includes('block2.1.weight'), keys.includes('up_conv6.weight')]; // [236, true, true, true]
 * ```
 */
export class UNetVgg16Bn extends Module {
  /** torchvision's `vgg16_bn().features` (44 modules). */
  declare encoder: Sequential;
  /** `encoder[:6]`: two 3×3 convolutions to 64 channels. */
  declare block1: Sequential;
  /** `encoder[6:13]`: max pooling and two convolutions to 128 channels. */
  declare block2: Sequential;
  /** `encoder[13:20]`: max pooling and two convolutions to 256 channels. */
  declare block3: Sequential;
  /** `encoder[20:27]`: a convolution (256), max pooling and a convolution to 512 channels. */
  declare block4: Sequential;
  /** `encoder[27:34]`: two convolutions (512) and max pooling. */
  declare block5: Sequential;
  /** `encoder[34:]`: three convolutions (512) and max pooling. */
  declare bottleneck: Sequential;
  /** `conv(512, 1024)`. */
  declare conv_bottleneck: Sequential;
  /** `up_conv(1024, 512)`. */
  declare up_conv6: ConvTranspose2d;
  /** `conv(512 + 512, 512)`. */
  declare conv6: Sequential;
  /** `up_conv(512, 256)`. */
  declare up_conv7: ConvTranspose2d;
  /** `conv(256 + 512, 256)`. */
  declare conv7: Sequential;
  /** `up_conv(256, 128)`. */
  declare up_conv8: ConvTranspose2d;
  /** `conv(128 + 256, 128)`. */
  declare conv8: Sequential;
  /** `up_conv(128, 64)`. */
  declare up_conv9: ConvTranspose2d;
  /** `conv(64 + 128, 64)`. */
  declare conv9: Sequential;
  /** `up_conv(64, 32)`. */
  declare up_conv10: ConvTranspose2d;
  /** `conv(32 + 64, 32)`. */
  declare conv10: Sequential;
  /** `Conv2d(32, outChannels, 1)`. */
  declare conv11: Conv2d;
  /** Classes of the output. */
  readonly outChannels: number;

  /** The book's `UNet(pretrained=True, out_channels=12)`, by name… */
  constructor(options?: UNetVgg16BnOptions);
  /** …or positionally. */
  constructor(pretrained?: false, outChannels?: number, options?: UNetVgg16BnOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(UNET_VGG, args);
    refuseUnsupported(
      'new UNetVgg16Bn',
      'pretrained',
      a.pretrained ?? false,
      [false],
      "tensorgrad downloads nothing at run time. Download torchvision's vgg16_bn-6c64b313.pth yourself, build new UNetVgg16Bn() and load its features.* entries (without the 'features.' prefix) into model.encoder with loadStateDict",
    );
    this.outChannels = positiveInt('new UNetVgg16Bn', 'outChannels', a.outChannels, 12);
    const encoder = makeLayers(vggConfigs.D, { batchNorm: true });
    // torchvision's VGG initialisation of the features (vgg16_bn(pretrained=False).features)
    for (const m of encoder.modules()) {
      if (m instanceof Conv2d) {
        init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
        if (m.bias) init.constant_(m.bias, 0);
      } else if (m instanceof BatchNorm2d) {
        if (m.weight) init.constant_(m.weight, 1);
        if (m.bias) init.constant_(m.bias, 0);
      }
    }
    this.registerModule('encoder', encoder);
    for (const [name, from, to] of VGG_BLOCKS) {
      const layers: AnyModule[] = [];
      for (let i = from; i < to; i++) layers.push(encoder.at(i));
      this.registerModule(name, new Sequential(...layers));
    }
    this.registerModule('conv_bottleneck', conv(512, 1024));
    this.registerModule('up_conv6', upConv(1024, 512));
    this.registerModule('conv6', conv(512 + 512, 512));
    this.registerModule('up_conv7', upConv(512, 256));
    this.registerModule('conv7', conv(256 + 512, 256));
    this.registerModule('up_conv8', upConv(256, 128));
    this.registerModule('conv8', conv(128 + 256, 128));
    this.registerModule('up_conv9', upConv(128, 64));
    this.registerModule('conv9', conv(64 + 128, 64));
    this.registerModule('up_conv10', upConv(64, 32));
    this.registerModule('conv10', conv(32 + 64, 32));
    this.registerModule('conv11', new Conv2d(32, this.outChannels, 1));
  }

  override forward(x: Tensor): Tensor {
    checkImages('UNetVgg16Bn', x, 3, 32);
    const block1 = this.block1(x) as Tensor;
    const block2 = this.block2(block1) as Tensor;
    const block3 = this.block3(block2) as Tensor;
    const block4 = this.block4(block3) as Tensor;
    const block5 = this.block5(block4) as Tensor;
    const bottleneck = this.bottleneck(block5) as Tensor;
    let y = this.conv_bottleneck(bottleneck) as Tensor;
    y = this.conv6(cat([this.up_conv6(y), block5], 1)) as Tensor;
    y = this.conv7(cat([this.up_conv7(y), block4], 1)) as Tensor;
    y = this.conv8(cat([this.up_conv8(y), block3], 1)) as Tensor;
    y = this.conv9(cat([this.up_conv9(y), block2], 1)) as Tensor;
    y = this.conv10(cat([this.up_conv10(y), block1], 1)) as Tensor;
    return this.conv11(y);
  }

  /** `blockK.i.name` → `encoder.j.name` for every state-dict entry of the shared encoder blocks. */
  private aliases(keys: Iterable<string>): Map<string, string> {
    const out = new Map<string, string>();
    for (const k of keys) {
      const m = /^encoder\.(\d+)\.(.+)$/.exec(k);
      if (!m) continue;
      const j = Number(m[1]);
      const block = VGG_BLOCKS.find(([, from, to]) => j >= from && j < to)!;
      out.set(`${block[0]}.${j - block[1]}.${m[2]}`, k);
    }
    return out;
  }

  /**
   * PyTorch's state dict of the book's model: every entry once under `encoder.*` and again under
   * the block sharing it (`block1.*` … `bottleneck.*`), then the decoder's, in PyTorch's order.
   */
  override stateDict(): Record<string, Tensor> {
    const own = super.stateDict();
    const out: Record<string, Tensor> = {};
    const keys = Object.keys(own);
    for (const k of keys) if (k.startsWith('encoder.')) out[k] = own[k]!;
    for (const [alias, k] of this.aliases(keys)) out[alias] = own[k]!.detach();
    for (const k of keys) if (!k.startsWith('encoder.')) out[k] = own[k]!;
    return out;
  }

  /**
   * Loads a state dict with the book's keys (see {@link UNetVgg16Bn.stateDict}): where a shared
   * tensor is given under both names the block's value is loaded (as PyTorch, which loads the
   * blocks after the encoder); with `strict` (the default) a missing block key is reported too.
   */
  override loadStateDict(stateDict: Record<string, Tensor> | Map<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    if (stateDict === null || typeof stateDict !== 'object' || stateDict instanceof Module) return super.loadStateDict(stateDict, options);
    const entries = new Map<string, Tensor>(stateDict instanceof Map ? stateDict : Object.entries(stateDict));
    const own = super.stateDict();
    const aliases = this.aliases(Object.keys(own));
    for (const t of Object.values(own)) t.dispose();
    const missingAliases: string[] = [];
    for (const [alias, k] of aliases) {
      if (entries.has(alias)) {
        entries.set(k, entries.get(alias)!);
        entries.delete(alias);
      } else {
        missingAliases.push(alias);
      }
    }
    if ((options.strict ?? true) && missingAliases.length) {
      throw new Error(
        `UNetVgg16Bn.loadStateDict: missing keys: ${missingAliases.map((k) => `'${k}'`).join(', ')} (the book's state dict holds each encoder tensor under encoder.* and under its block; pass { strict: false } to load the matching keys only)`,
      );
    }
    const r = super.loadStateDict(entries, options);
    return { missingKeys: [...missingAliases, ...r.missingKeys], unexpectedKeys: r.unexpectedKeys };
  }
}

/** milesial/Pytorch-UNet's `DoubleConv`: `double_conv = Sequential((Conv2d 3×3 no bias, BatchNorm2d, ReLU) × 2)`. */
class DoubleConv extends Module {
  declare double_conv: Sequential;
  constructor(inChannels: number, outChannels: number, midChannels = outChannels) {
    super();
    this.registerModule(
      'double_conv',
      new Sequential(
        new Conv2d(inChannels, midChannels, 3, { padding: 1, bias: false }),
        new BatchNorm2d(midChannels),
        new ReLU(),
        new Conv2d(midChannels, outChannels, 3, { padding: 1, bias: false }),
        new BatchNorm2d(outChannels),
        new ReLU(),
      ),
    );
  }
  override forward(x: Tensor): Tensor {
    return this.double_conv(x) as Tensor;
  }
}

/** `Down`: `maxpool_conv = Sequential(MaxPool2d(2), DoubleConv(in, out))`. */
class Down extends Module {
  declare maxpool_conv: Sequential;
  constructor(inChannels: number, outChannels: number) {
    super();
    this.registerModule('maxpool_conv', new Sequential(new MaxPool2d(2), new DoubleConv(inChannels, outChannels)));
  }
  override forward(x: Tensor): Tensor {
    return this.maxpool_conv(x) as Tensor;
  }
}

/**
 * `Up`: `up` (bilinear `Upsample(scale 2, align_corners)` or `ConvTranspose2d(in, in/2, 2, stride
 * 2)`), the result padded to the skip connection's size, `cat([skip, up], 1)` and `conv`
 * (`DoubleConv(in, out, in/2)` bilinear, else `DoubleConv(in, out)`).
 */
class Up extends Module<[Tensor, Tensor]> {
  declare up: AnyModule;
  declare conv: DoubleConv;
  constructor(inChannels: number, outChannels: number, bilinear: boolean) {
    super();
    if (bilinear) {
      this.registerModule('up', new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true }));
      this.registerModule('conv', new DoubleConv(inChannels, outChannels, Math.floor(inChannels / 2)));
    } else {
      this.registerModule('up', new ConvTranspose2d(inChannels, Math.floor(inChannels / 2), 2, { stride: 2 }));
      this.registerModule('conv', new DoubleConv(inChannels, outChannels));
    }
  }
  override forward(x1: Tensor, x2: Tensor): Tensor {
    let u = this.up(x1) as Tensor;
    const dy = x2.shape[2]! - u.shape[2]!;
    const dx = x2.shape[3]! - u.shape[3]!;
    if (dx !== 0 || dy !== 0) u = pad(u, [Math.floor(dx / 2), dx - Math.floor(dx / 2), Math.floor(dy / 2), dy - Math.floor(dy / 2)]);
    return this.conv(cat([x2, u], 1));
  }
}

/** `OutConv`: `conv = Conv2d(in, out, 1)`. */
class OutConv extends Module {
  declare conv: Conv2d;
  constructor(inChannels: number, outChannels: number) {
    super();
    this.registerModule('conv', new Conv2d(inChannels, outChannels, 1));
  }
  override forward(x: Tensor): Tensor {
    return this.conv(x);
  }
}

/** Options of {@link UNet}. */
export interface UNetOptions {
  /** Channels of the input images (default 3; milesial/Pytorch-UNet's `n_channels`). */
  inChannels?: number;
  /** Classes of the per-pixel output (default 2; `n_classes`). */
  numClasses?: number;
  /** Up-sample by bilinear interpolation instead of transposed convolutions (default false). */
  bilinear?: boolean;
  /** Channels of the first stage, doubled at every down-sampling (default 64, the paper's). */
  baseChannels?: number;
  /** How many times the encoder halves the resolution (default 4, the paper's). */
  depth?: number;
}

/**
 * The classic U-Net (Ronneberger, Fischer and Brox, "U-Net: Convolutional Networks for
 * Biomedical Image Segmentation", 2015) with padded convolutions, as the widely used PyTorch
 * implementation milesial/Pytorch-UNet builds it, with its module names (so its state dicts load):
 * `inc = DoubleConv(inChannels, c)`, `down1 … down{depth}` (max pooling and a `DoubleConv`
 * doubling the channels), `up1 … up{depth}` (transposed convolution or bilinear up-sampling, `cat`
 * with the encoder stage of the same size, `DoubleConv`) and `outc` (a 1×1 convolution to
 * `numClasses`), where `c = baseChannels`. A `DoubleConv` is
 * `double_conv = Sequential(Conv2d(3×3, bias false), BatchNorm2d, ReLU, Conv2d, BatchNorm2d, ReLU)`.
 * With `bilinear` the deepest stage and the up-sampling stages have half the channels (as
 * milesial's `factor = 2`). The defaults (`baseChannels` 64, `depth` 4) are the paper's 31 M
 * parameters (31,037,698 for 3 channels and 2 classes); `{ baseChannels: 8, depth: 3 }` is small
 * enough to train on a CPU. Any input size works (odd sizes are padded before each `cat`), and the
 * output is `[N, numClasses, H, W]` logits.
 *
 * @example
 * ```ts
 * import { UNet } from '@tensorgrad/vision';
 * import { zeros } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const model = new UNet({ inChannels: 1, numClasses: 4, baseChannels: 8, depth: 3 });
 * model(zeros([2, 1, 28, 28])).shape; // [2, 4, 28, 28]
 * model.namedChildren().map(([n]) => n).join(' '); // 'inc down1 down2 down3 up1 up2 up3 outc'
 * Object.keys(model.stateDict())[0]; // 'inc.double_conv.0.weight'
 * model.parameters().reduce((n, p) => n + p.numel(), 0); // 121060
 * ```
 */
export class UNet extends Module {
  /** `DoubleConv(inChannels, baseChannels)`. */
  declare inc: AnyModule;
  /** `Conv2d(baseChannels, numClasses, 1)` in `outc.conv`. */
  declare outc: AnyModule;
  /** Channels of the input. */
  readonly inChannels: number;
  /** Classes of the output. */
  readonly numClasses: number;
  /** Whether the decoder up-samples bilinearly. */
  readonly bilinear: boolean;
  /** How many times the resolution is halved. */
  readonly depth: number;

  /** `UNet(n_channels, n_classes, bilinear=False)` positionally (then `baseChannels`, `depth`)… */
  constructor(inChannels?: number, numClasses?: number, bilinear?: boolean, baseChannels?: number, depth?: number, options?: UNetOptions);
  /** …or by name. */
  constructor(options?: UNetOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(UNET, args);
    this.inChannels = positiveInt('new UNet', 'inChannels', a.inChannels, 3);
    this.numClasses = positiveInt('new UNet', 'numClasses', a.numClasses, 2);
    const bilinear = a.bilinear ?? false;
    if (typeof bilinear !== 'boolean') throw new TypeError(`new UNet: expected bilinear to be a boolean, got ${typeof bilinear}`);
    this.bilinear = bilinear;
    const base = positiveInt('new UNet', 'baseChannels', a.baseChannels, 64);
    this.depth = positiveInt('new UNet', 'depth', a.depth, 4);
    const factor = bilinear ? 2 : 1;
    if (base % 2 !== 0) throw new RangeError(`new UNet: expected baseChannels to be even (each up-sampling halves the channels), got ${base}`);
    const ch = (i: number): number => base * 2 ** i;
    this.registerModule('inc', new DoubleConv(this.inChannels, base));
    for (let i = 1; i <= this.depth; i++) this.registerModule(`down${i}`, new Down(ch(i - 1), i === this.depth ? ch(i) / factor : ch(i)));
    for (let j = 1; j <= this.depth; j++) {
      const i = this.depth - j + 1;
      this.registerModule(`up${j}`, new Up(ch(i), j === this.depth ? ch(0) : ch(i - 1) / factor, bilinear));
    }
    this.registerModule('outc', new OutConv(base, this.numClasses));
  }

  override forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new RangeError(`UNet: expected images [N, ${this.inChannels}, H, W], got [${x.shape.join(', ')}]`);
    }
    const minSize = 2 ** this.depth;
    if (x.shape[2]! < minSize || x.shape[3]! < minSize) {
      throw new RangeError(`UNet: expected the height and width to be at least ${minSize} (2^depth, the encoder halves them ${this.depth} times), got ${x.shape[2]}×${x.shape[3]}`);
    }
    const skips: Tensor[] = [this.inc(x) as Tensor];
    const children = this as unknown as Record<string, AnyModule>;
    for (let i = 1; i <= this.depth; i++) skips.push(children[`down${i}`]!(skips[i - 1]!) as Tensor);
    let y = skips[this.depth]!;
    for (let j = 1; j <= this.depth; j++) y = children[`up${j}`]!(y, skips[this.depth - j]!) as Tensor;
    return this.outc(y) as Tensor;
  }
}
