/**
 * The book's chapter 13 pix2pix ("Leveraging Pix2Pix GAN"): a U-Net generator (`GeneratorUNet`
 * built from `UNetDown`/`UNetUp` blocks) that turns an image of one kind (the book: the edges of a
 * shoe) into an image of another (the shoe), trained against a PatchGAN `Discriminator` that
 * judges (image, condition) pairs patch by patch. The book's notebook (`Chapter13/pix2pix.ipynb`)
 * writes out the PyTorch-GAN reference's modules (eriklindernoren, `implementations/pix2pix/models.py`):
 * the same module names and layers, and `weights_init_normal`; its loop makes the fake once, trains
 * the discriminator on (real, detached fake) — `errD = MSE(D(trg, src), 1) + MSE(D(fake, src), 0)`
 * — then the generator against the updated discriminator — `MSE(D(fake, src), 1) +
 * 100·L1(fake, trg)` — with Adam at 2e-4, betas (0.5, 0.999), 256×256 RGB images, batch 32.
 * (The reference's `pix2pix.py` trains the generator first and halves the discriminator's loss.)
 *
 * Here the pairs are Fashion-MNIST garments (the only images on these machines) and their edges,
 * drawn with a Sobel filter written as a `conv2d` ({@link sobelEdges}); the images are 32×32 grey,
 * so the U-Net has 5 levels instead of 8 ({@link GeneratorUNetOptions.numDowns}) and, for two
 * CPU cores, fewer filters ({@link GeneratorUNetOptions.ngf}); the defaults build the book's model.
 */
import {
  Adam,
  cat,
  Conv2d,
  conv2d,
  ConvTranspose2d,
  Dropout,
  fromTypedArray,
  init,
  InstanceNorm2d,
  keep,
  l1Loss,
  LeakyReLU,
  Module,
  mseLoss,
  noGrad,
  ones,
  pad,
  ReLU,
  Sequential,
  Tanh,
  tensor,
  tidy,
  Upsample,
  zeros,
  ZeroPad2d,
  type AnyModule,
  type Tensor,
} from 'tensorgrad';

/**
 * The book's pix2pix `weights_init_normal` (`Chapter13/pix2pix.ipynb`, the same as the PyTorch-GAN
 * reference's `pix2pix.py`), applied with `model.apply(weightsInitNormal)`: every module whose class
 * name contains `Conv` (`Conv2d`, `ConvTranspose2d`) gets weights from N(0, 0.02) — its bias, when it
 * has one, keeps PyTorch's default initialisation; every `BatchNorm2d` gets weights from N(1, 0.02)
 * and a zero bias. Other modules (the parameter-free `InstanceNorm2d` included) are left alone.
 * (The CycleGAN notebook's version also zeroes the convolutions' biases: `weightsInitNormal` of
 * `cyclegan.ts`.)
 *
 * @example
 * ```ts
 * import { Conv2d, manualSeed } from 'tensorgrad';
 * import { weightsInitNormal } from './pix2pix.js';
 * manualSeed(0);
 * const conv = new Conv2d(8, 64, 4).apply(weightsInitNormal);
 * const w = conv.weight.dataSync();
 * const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
 * const b = conv.bias!.dataSync(); // PyTorch's default: uniform in ±1/√(8·4·4)
 * [Math.abs(std - 0.02) < 0.002, b.some((v) => v !== 0), b.every((v) => Math.abs(v) <= 1 / Math.sqrt(128))]; // [true, true, true]
 * ```
 */
export function weightsInitNormal(m: AnyModule): void {
  const classname = m.constructor.name;
  const weight = (m as unknown as { weight?: Tensor | null }).weight;
  const bias = (m as unknown as { bias?: Tensor | null }).bias;
  if (classname.includes('Conv')) {
    if (weight) init.normal_(weight, 0.0, 0.02);
  } else if (classname.includes('BatchNorm2d')) {
    if (weight) init.normal_(weight, 1.0, 0.02);
    if (bias) init.constant_(bias, 0.0);
  }
}

function positiveInt(owner: string, name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new TypeError(`${owner}: expected ${name} to be a positive integer, got ${String(v)}`);
  return v;
}

function checkKeys(owner: string, options: object, allowed: readonly string[]): void {
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new TypeError(`${owner}: unknown option '${k}'; expected one of ${allowed.join(', ')}`);
  }
}

/** Options of {@link UNetDown} (the reference's keywords, camelCase). */
export interface UNetDownOptions {
  /** Add `InstanceNorm2d(outSize)` after the convolution (default true). */
  normalize?: boolean;
  /** Probability of the trailing `Dropout` (default 0: none). */
  dropout?: number;
}

/**
 * The reference's `UNetDown(in_size, out_size, normalize=True, dropout=0.0)`: `model =
 * Sequential(Conv2d(in, out, 4, 2, 1, bias=False), [InstanceNorm2d(out)], LeakyReLU(0.2),
 * [Dropout(dropout)])` — halves the height and width.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { UNetDown } from './pix2pix.js';
 * const down = new UNetDown(3, 64, { normalize: false });
 * down(zeros([1, 3, 32, 32])).shape; // [1, 64, 16, 16]
 * Object.keys(down.stateDict()); // ['model.0.weight']
 * ```
 */
export class UNetDown extends Module {
  /** The block's layers. */
  declare model: Sequential;
  constructor(inSize: number, outSize: number, options: UNetDownOptions = {}) {
    super();
    checkKeys('UNetDown', options, ['normalize', 'dropout']);
    positiveInt('UNetDown', 'inSize', inSize, 0);
    positiveInt('UNetDown', 'outSize', outSize, 0);
    const layers: AnyModule[] = [new Conv2d(inSize, outSize, 4, { stride: 2, padding: 1, bias: false })];
    if (options.normalize ?? true) layers.push(new InstanceNorm2d(outSize));
    layers.push(new LeakyReLU(0.2));
    if (options.dropout) layers.push(new Dropout(options.dropout));
    this.model = new Sequential(...layers);
  }
  override forward(x: Tensor): Tensor {
    return this.model(x);
  }
}

/**
 * The reference's `UNetUp(in_size, out_size, dropout=0.0)`: `model =
 * Sequential(ConvTranspose2d(in, out, 4, 2, 1, bias=False), InstanceNorm2d(out), ReLU,
 * [Dropout(dropout)])` — doubles the height and width — then `cat((x, skipInput), 1)`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { UNetUp } from './pix2pix.js';
 * const up = new UNetUp(128, 64);
 * up(zeros([1, 128, 4, 4]), zeros([1, 64, 8, 8])).shape; // [1, 128, 8, 8]
 * ```
 */
export class UNetUp extends Module<[Tensor, Tensor], Tensor> {
  /** The block's layers. */
  declare model: Sequential;
  constructor(inSize: number, outSize: number, options: { dropout?: number } = {}) {
    super();
    checkKeys('UNetUp', options, ['dropout']);
    positiveInt('UNetUp', 'inSize', inSize, 0);
    positiveInt('UNetUp', 'outSize', outSize, 0);
    const layers: AnyModule[] = [new ConvTranspose2d(inSize, outSize, 4, { stride: 2, padding: 1, bias: false }), new InstanceNorm2d(outSize), new ReLU()];
    if (options.dropout) layers.push(new Dropout(options.dropout));
    this.model = new Sequential(...layers);
  }
  override forward(x: Tensor, skipInput: Tensor): Tensor {
    return cat([this.model(x), skipInput], 1);
  }
}

/** Options of {@link GeneratorUNet}. */
export interface GeneratorUNetOptions {
  /** Channels of the input images (the reference's `in_channels`, default 3). */
  inChannels?: number;
  /** Channels of the output images (the reference's `out_channels`, default 3). */
  outChannels?: number;
  /**
   * Down-sampling blocks `down1`…`downN` (default 8, the reference's, for 256×256 images: the
   * input's height and width must be multiples of 2^N). Fewer for small images: 5 for 32×32.
   */
  numDowns?: number;
  /** Filters of `down1` (default 64, the reference's; pix2pix's `ngf`): block k has `min(ngf·2^(k-1), 8·ngf)`. */
  ngf?: number;
}

/**
 * The reference's (and the book's) pix2pix generator `GeneratorUNet(in_channels=3,
 * out_channels=3)`: `down1 = UNetDown(in, 64, normalize=False)`, `down2` (128), `down3` (256),
 * `down4`…`down7` (512, dropout 0.5), `down8 = UNetDown(512, 512, normalize=False, dropout=0.5)`;
 * `up1 = UNetUp(512, 512, dropout=0.5)`, `up2`…`up4 = UNetUp(1024, 512, dropout=0.5)`,
 * `up5 = UNetUp(1024, 256)`, `up6 = UNetUp(512, 128)`, `up7 = UNetUp(256, 64)`, each `upK`
 * concatenating the mirrored `down` output; `final = Sequential(Upsample(scale_factor=2),
 * ZeroPad2d((1, 0, 1, 0)), Conv2d(128, out, 4, padding=1), Tanh())`; `weights_init_normal`
 * applied (the book's `generator.apply(weights_init_normal)`). 54,404,099 parameters with the
 * defaults, as PyTorch counts the reference's model.
 *
 * `numDowns` and `ngf` build the same pattern smaller: blocks `down1`…`downN` (the first and the
 * last without normalisation, dropout from `down4` on) and `up1`…`up(N-1)` (dropout where the
 * mirrored down block has it), with the same names, so a state dict of the PyTorch model built
 * the same way loads with `loadStateDict`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { GeneratorUNet } from './pix2pix.js';
 * const g = new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 5, ngf: 8 }).eval();
 * g(zeros([2, 1, 32, 32])).shape; // [2, 1, 32, 32]
 * g.namedChildren().map(([n]) => n).join(' '); // 'down1 down2 down3 down4 down5 up1 up2 up3 up4 final'
 * ```
 */
export class GeneratorUNet extends Module {
  /** `down1`…`downN` then `up1`…`up(N-1)`, in order. */
  readonly downs: UNetDown[] = [];
  /** The up-sampling blocks. */
  readonly ups: UNetUp[] = [];
  /** `Upsample(2)`, `ZeroPad2d((1, 0, 1, 0))`, `Conv2d(2·ngf, out, 4, padding=1)`, `Tanh`. */
  declare final: Sequential;
  /** Down-sampling blocks. */
  readonly numDowns: number;
  constructor(options: GeneratorUNetOptions = {}) {
    super();
    checkKeys('GeneratorUNet', options, ['inChannels', 'outChannels', 'numDowns', 'ngf']);
    const inChannels = positiveInt('GeneratorUNet', 'inChannels', options.inChannels, 3);
    const outChannels = positiveInt('GeneratorUNet', 'outChannels', options.outChannels, 3);
    const n = positiveInt('GeneratorUNet', 'numDowns', options.numDowns, 8);
    const ngf = positiveInt('GeneratorUNet', 'ngf', options.ngf, 64);
    if (n < 2) throw new RangeError(`GeneratorUNet: expected numDowns ≥ 2 (the reference has 8), got ${n}`);
    this.numDowns = n;
    const ch = (k: number): number => Math.min(ngf * 2 ** (k - 1), 8 * ngf);
    for (let k = 1; k <= n; k++) {
      const down = new UNetDown(k === 1 ? inChannels : ch(k - 1), ch(k), { normalize: k !== 1 && k !== n, dropout: k >= 4 ? 0.5 : 0 });
      this.registerModule(`down${k}`, down);
      this.downs.push(down);
    }
    for (let i = 1; i < n; i++) {
      const skip = n - i; // the down block whose output this block's output is concatenated with
      const up = new UNetUp(i === 1 ? ch(n) : 2 * ch(skip + 1), ch(skip), { dropout: skip >= 4 ? 0.5 : 0 });
      this.registerModule(`up${i}`, up);
      this.ups.push(up);
    }
    this.final = new Sequential(new Upsample({ scaleFactor: 2 }), new ZeroPad2d([1, 0, 1, 0]), new Conv2d(2 * ngf, outChannels, 4, { padding: 1 }), new Tanh());
    this.apply(weightsInitNormal);
  }
  override forward(x: Tensor): Tensor {
    const m = 2 ** this.numDowns;
    if (x.ndim !== 4 || x.shape[2]! % m !== 0 || x.shape[3]! % m !== 0) {
      throw new RangeError(
        `GeneratorUNet: expected images [N, C, H, W] with H and W multiples of 2^numDowns = ${m} (each down block halves them), got [${x.shape.join(', ')}]; resize the images or build the generator with fewer numDowns`,
      );
    }
    const d: Tensor[] = [];
    let h = x;
    for (const down of this.downs) {
      h = down(h);
      d.push(h);
    }
    for (let i = 0; i < this.ups.length; i++) h = this.ups[i]!(h, d[this.numDowns - 2 - i]!);
    return this.final(h);
  }
}

/** Options of the pix2pix {@link Discriminator}. */
export interface Pix2PixDiscriminatorOptions {
  /** Channels of each of the two images (the reference's `in_channels`, default 3). */
  inChannels?: number;
  /** Filters of the first block (default 64, the reference's; pix2pix's `ndf`): 1, 2, 4 and 8 times this. */
  ndf?: number;
}

/**
 * The reference's (and the book's) pix2pix PatchGAN `Discriminator(in_channels=3)`: the image and
 * its condition concatenated on the channels (`forward(imgA, imgB)`), then `model =
 * Sequential(Conv2d(2·in, 64, 4, 2, 1), LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1),
 * InstanceNorm2d(128), LeakyReLU(0.2), …256…, …512…, ZeroPad2d((1, 0, 1, 0)), Conv2d(512, 1, 4,
 * padding=1, bias=False))`: one score per patch, `[N, 1, H/16, W/16]` (16×16 for the book's 256×256
 * images); `weights_init_normal` applied. 2,767,808 parameters with the defaults.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Discriminator } from './pix2pix.js';
 * const d = new Discriminator({ inChannels: 1, ndf: 8 });
 * d(zeros([2, 1, 32, 32]), zeros([2, 1, 32, 32])).shape; // [2, 1, 2, 2]
 * ```
 */
export class Discriminator extends Module<[Tensor, Tensor], Tensor> {
  /** The PatchGAN's layers. */
  declare model: Sequential;
  constructor(options: Pix2PixDiscriminatorOptions = {}) {
    super();
    checkKeys('Discriminator', options, ['inChannels', 'ndf']);
    const inChannels = positiveInt('Discriminator', 'inChannels', options.inChannels, 3);
    const ndf = positiveInt('Discriminator', 'ndf', options.ndf, 64);
    const block = (inFilters: number, outFilters: number, normalization = true): AnyModule[] => [
      new Conv2d(inFilters, outFilters, 4, { stride: 2, padding: 1 }),
      ...(normalization ? [new InstanceNorm2d(outFilters)] : []),
      new LeakyReLU(0.2),
    ];
    this.model = new Sequential(
      ...block(inChannels * 2, ndf, false),
      ...block(ndf, ndf * 2),
      ...block(ndf * 2, ndf * 4),
      ...block(ndf * 4, ndf * 8),
      new ZeroPad2d([1, 0, 1, 0]),
      new Conv2d(ndf * 8, 1, 4, { padding: 1, bias: false }),
    );
    this.apply(weightsInitNormal);
  }
  override forward(imgA: Tensor, imgB: Tensor): Tensor {
    return this.model(cat([imgA, imgB], 1));
  }
}

/** The book's weight of the pixel-wise L1 loss in the generator's loss (`lambda_pixel = 100`). */
export const LAMBDA_PIXEL = 100;

/** The losses of one {@link pix2pixTrainStep}, as the book's loop logs them (`errD`, `errG`) and their parts. */
export interface Pix2PixLosses {
  /** The book's `errD = error_real + error_fake`: `MSE(D(trg, src), 1) + MSE(D(fake.detach(), src), 0)`. */
  lossD: number;
  /** The book's `errG = loss_GAN + 100·loss_pixel`. */
  lossG: number;
  /** `MSE(D(fake, src), 1)`, with the discriminator just updated. */
  lossGAN: number;
  /** `L1(fake, trg)`. */
  lossPixel: number;
}

/** The models and optimizers of a pix2pix training run. */
export interface Pix2Pix {
  /** The U-Net. */
  generator: GeneratorUNet;
  /** The PatchGAN. */
  discriminator: Discriminator;
  /** Adam(generator, lr 2e-4, betas (0.5, 0.999)). */
  optimizerG: Adam;
  /** Adam(discriminator, lr 2e-4, betas (0.5, 0.999)). */
  optimizerD: Adam;
}

/**
 * One step of the book's loop: `fake = generator(src)`; then `discriminator_train_step` — the
 * real pair's loss `MSE(D(trg, src), 1)` and the detached fake's `MSE(D(fake, src), 0)`, each
 * back-propagated, one Adam step; then `generator_train_step` on the same fake against the updated
 * discriminator — `MSE(D(fake, src), 1) + LAMBDA_PIXEL·L1(fake, trg)`, one Adam step. The targets
 * are all ones and all zeros shaped like the discriminator's output. `src` and `trg` are
 * `[N, C, H, W]` in [-1, 1].
 *
 * @example
 * ```ts
 * import { Adam, manualSeed, rand } from 'tensorgrad';
 * import { Discriminator, GeneratorUNet, pix2pixTrainStep } from './pix2pix.js';
 * manualSeed(0);
 * const generator = new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 4, ngf: 4 });
 * const discriminator = new Discriminator({ inChannels: 1, ndf: 4 });
 * const opt = { lr: 2e-4, betas: [0.5, 0.999] as [number, number] };
 * const m = { generator, discriminator, optimizerG: new Adam(generator.parameters(), opt), optimizerD: new Adam(discriminator.parameters(), opt) };
 * const l = pix2pixTrainStep(m, rand([2, 1, 32, 32]).mul(2).sub(1), rand([2, 1, 32, 32]).mul(2).sub(1));
 * Math.abs(l.lossG - (l.lossGAN + 100 * l.lossPixel)) < 1e-3; // true
 * ```
 */
export function pix2pixTrainStep(m: Pix2Pix, src: Tensor, trg: Tensor): Pix2PixLosses {
  return tidy(() => {
    m.generator.train();
    m.discriminator.train();
    const fake = m.generator(src);
    // discriminator_train_step(real_src, real_trg, fake_trg)
    m.optimizerD.zeroGrad();
    const predReal = m.discriminator(trg, src);
    const valid = ones(predReal.shape);
    const errorReal = mseLoss(predReal, valid);
    errorReal.backward();
    const errorFake = mseLoss(m.discriminator(fake.detach(), src), zeros(predReal.shape));
    errorFake.backward();
    m.optimizerD.step();
    // generator_train_step(real_src, fake_trg)
    m.optimizerG.zeroGrad();
    const lossGAN = mseLoss(m.discriminator(fake, src), valid);
    const lossPixel = l1Loss(fake, trg);
    const lossG = lossGAN.add(lossPixel.mul(LAMBDA_PIXEL));
    lossG.backward();
    m.optimizerG.step();
    return { lossD: errorReal.add(errorFake).itemSync() as number, lossG: lossG.itemSync() as number, lossGAN: lossGAN.itemSync() as number, lossPixel: lossPixel.itemSync() as number };
  });
}

/**
 * Edges of grey images `[N, 1, H, W]` in [0, 1] as the book draws its inputs (black edges on a
 * white background): the Sobel gradient magnitude, two `conv2d`s with the 3×3 Sobel kernels
 * (zero padding 1), thresholded at `threshold` (default 0.5) — 0 where `|∇x| > threshold`, 1
 * elsewhere. Returns `[N, 1, H, W]` in {0, 1}.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { sobelEdges } from './pix2pix.js';
 * // a bright 4×4 square (rows and columns 2–5) in a dark 8×8 image: the pixels on either side of its
 * // border are edges (0); the far background and the square's inside are not (1)
 * const x = tensor(Array.from({ length: 64 }, (_, i) => (Math.floor(i / 8) >= 2 && Math.floor(i / 8) <= 5 && i % 8 >= 2 && i % 8 <= 5 ? 1 : 0))).reshape([1, 1, 8, 8]);
 * const e = (await sobelEdges(x).array())[0][0];
 * [e[0][0], e[1][1], e[2][2], e[2][3], e[3][3], e[4][4]]; // [1, 0, 0, 0, 1, 1]
 * ```
 */
export function sobelEdges(images: Tensor, threshold = 0.5): Tensor {
  if (images.ndim !== 4 || images.shape[1] !== 1) throw new RangeError(`sobelEdges: expected grey images [N, 1, H, W], got [${images.shape.join(', ')}]`);
  return tidy(() => {
    const kx = tensor([[[[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]]);
    const ky = tensor([[[[-1, -2, -1], [0, 0, 0], [1, 2, 1]]]]);
    const gx = conv2d(images, kx, null, { padding: 1 });
    const gy = conv2d(images, ky, null, { padding: 1 });
    const magnitude = gx.mul(gx).add(gy.mul(gy)).sqrt();
    return magnitude.le(threshold).float();
  });
}

/** Edge→garment pairs in [-1, 1] (the book's `Normalize(0.5, 0.5)`). */
export interface EdgePairs {
  /** Edges `[N, 1, S, S]` (1 = background, -1 = edge). */
  edges: Tensor;
  /** Garments `[N, 1, S, S]`. */
  garments: Tensor;
}

/**
 * Builds {@link EdgePairs} from Fashion-MNIST images (uint8 values, `[N, 28, 28]` int32): each
 * garment is zero-padded to `size`×`size` (centred; `size` ≥ 28), scaled to [0, 1], its
 * {@link sobelEdges} computed, and both mapped to [-1, 1]. The tensors are kept (call `dispose`).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { edgePairs } from './pix2pix.js';
 * const p = edgePairs(zeros([3, 28, 28], { dtype: 'int32' }), 32);
 * [p.edges.shape, p.garments.shape, p.edges.min().itemSync(), p.garments.max().itemSync()]; // [[3, 1, 32, 32], [3, 1, 32, 32], 1, -1]
 * ```
 */
export function edgePairs(images: Tensor, size = 32): EdgePairs {
  if (images.ndim !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) throw new RangeError(`edgePairs: expected Fashion-MNIST images [N, 28, 28], got [${images.shape.join(', ')}]`);
  if (!Number.isInteger(size) || size < 28) throw new RangeError(`edgePairs: expected size to be an integer ≥ 28, got ${size}`);
  return tidy(() => {
    const a = Math.floor((size - 28) / 2);
    const b = size - 28 - a;
    const x = pad(images.float().div(255).unsqueeze(1), [a, b, a, b]);
    const e = sobelEdges(x);
    return { edges: keep(e.mul(2).sub(1)), garments: keep(x.mul(2).sub(1)) };
  });
}

/**
 * The generator's mean absolute error to the targets on `src` (eval mode, no gradients), in the
 * [-1, 1] scale: the number the pixel loss drives down.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { GeneratorUNet, generatorL1 } from './pix2pix.js';
 * const g = new GeneratorUNet({ inChannels: 1, outChannels: 1, numDowns: 4, ngf: 4 });
 * generatorL1(g, zeros([1, 1, 16, 16]), zeros([1, 1, 16, 16])) < 1; // true
 * ```
 */
export function generatorL1(generator: AnyModule, src: Tensor, trg: Tensor): number {
  const training = generator.training;
  generator.eval();
  try {
    return tidy(() => noGrad(() => l1Loss(generator(src) as Tensor, trg).itemSync() as number));
  } finally {
    generator.train(training);
  }
}

/**
 * Rows `idx` of `t` (along dimension 0) as a new tensor: a batch picked from a data set held in
 * memory.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { rows } from './pix2pix.js';
 * await rows(tensor([[1], [2], [3]]), [2, 0]).array(); // [[3], [1]]
 * ```
 */
export function rows(t: Tensor, idx: readonly number[]): Tensor {
  return t.indexSelect(0, fromTypedArray(Int32Array.from(idx), [idx.length]));
}
