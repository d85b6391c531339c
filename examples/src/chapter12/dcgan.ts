/**
 * The book's chapter 12 DCGAN (`Chapter12/Face_generation_using_DCGAN.ipynb`): a discriminator of
 * strided 4×4 convolutions without bias (batch norm on all but the first, `LeakyReLU(0.2)`, a
 * final 4×4 convolution to one value and `Sigmoid`) and a generator of strided 4×4 transposed
 * convolutions without bias (batch norm and `ReLU`, `Tanh` at the end), both initialised by the
 * book's `weights_init` (normal(0, 0.02) for the convolutions, normal(1, 0.02) and 0 for batch
 * norm), trained with `BCELoss` and Adam (lr 0.0002, betas (0.5, 0.999)).
 *
 * The book trains at 64×64 on cropped RGB faces; nothing can be downloaded here, so the program
 * trains on Fashion-MNIST garments: either resized to 64×64 and repeated to 3 channels (the book's
 * networks, parameter for parameter: 2,765,568 and 3,576,704), or at their own 28×28 with a
 * single channel and half the width (`size: 28`: 1 → 4 → 7 → 14 → 28), which trains on a CPU.
 */
import { join } from 'node:path';
import {
  Adam,
  BatchNorm2d,
  BCELoss,
  Conv2d,
  ConvTranspose2d,
  fromTypedArray,
  init,
  interpolate,
  keep,
  LeakyReLU,
  manualSeed,
  Module,
  noGrad,
  ReLU,
  Sequential,
  Sigmoid,
  summary,
  Tanh,
  tidy,
  type AnyModule,
  type ModelSummary,
  type Tensor,
} from 'tensorgrad';
import { discriminatorTrainStep, generatorTrainStep, loadFashionMnistGanData, LossLog, noise, saveEpochGrid, type GanParts } from './gan-utils.js';

/** The image sizes the DCGAN is built for. */
export type DcganSize = 64 | 28;

/** Options of {@link Discriminator} and {@link Generator}. */
export interface DcganOptions {
  /** Image side: 64 (the book's networks, default) or 28 (the smaller Fashion-MNIST variant). */
  size?: DcganSize;
  /** Image channels: 3 at 64 (the book's RGB faces), 1 at 28 (Fashion-MNIST). */
  channels?: number;
  /** Channels of the first discriminator / last hidden generator layer: 64 at 64 (the book's), 32 at 28. */
  features?: number;
  /** Length of the noise vector (default 100, the book's). */
  latentDim?: number;
}

/** The options with the defaults of their size filled in. */
export interface DcganConfig {
  /** Image side. */
  size: DcganSize;
  /** Image channels. */
  channels: number;
  /** Base width. */
  features: number;
  /** Noise length. */
  latentDim: number;
}

function positiveInt(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`DCGAN: expected ${name} to be a positive integer, got ${String(v)}`);
}

/**
 * Fills in the defaults of `options` and checks them.
 *
 * @example
 * ```ts
 * import { dcganConfig } from './dcgan.js';
 * Object.entries(dcganConfig()); // [['size', 64], ['channels', 3], ['features', 64], ['latentDim', 100]]
 * Object.values(dcganConfig({ size: 28 })); // [28, 1, 32, 100]
 * ```
 */
export function dcganConfig(options: DcganOptions = {}): DcganConfig {
  const known = ['size', 'channels', 'features', 'latentDim'];
  for (const k of Object.keys(options)) if (!known.includes(k)) throw new TypeError(`DCGAN: unknown option '${k}'; expected one of ${known.join(', ')}`);
  const size = options.size ?? 64;
  if (size !== 64 && size !== 28) throw new RangeError(`DCGAN: expected size 64 (the book's networks) or 28 (the Fashion-MNIST variant), got ${String(size)}`);
  const c: DcganConfig = {
    size,
    channels: options.channels ?? (size === 64 ? 3 : 1),
    features: options.features ?? (size === 64 ? 64 : 32),
    latentDim: options.latentDim ?? 100,
  };
  positiveInt('channels', c.channels);
  positiveInt('features', c.features);
  positiveInt('latentDim', c.latentDim);
  return c;
}

/**
 * The book's `weights_init`, for `module.apply(weightsInit)`: a module whose class name contains
 * `Conv` gets weights from normal(0, 0.02); one whose name contains `BatchNorm` gets weights from
 * normal(1, 0.02) and zero biases. Other modules are left alone.
 *
 * @example
 * ```ts
 * import { Conv2d, BatchNorm2d, Sequential } from 'tensorgrad';
 * import { weightsInit } from './dcgan.js';
 * const net = new Sequential(new Conv2d(64, 64, 4, { bias: false }), new BatchNorm2d(64)).apply(weightsInit);
 * const w = net.at(0).weight;
 * Math.abs(w.std().itemSync() - 0.02) < 0.001; // true
 * Math.abs((net.at(1) as BatchNorm2d).weight!.mean().itemSync() - 1) < 0.01; // true
 * net.dispose();
 * ```
 */
export function weightsInit(m: AnyModule): void {
  const name = m.constructor.name;
  const params = m as unknown as { weight?: Tensor | null; bias?: Tensor | null };
  if (name.includes('Conv')) {
    if (params.weight) init.normal_(params.weight, 0, 0.02);
  } else if (name.includes('BatchNorm')) {
    if (params.weight) init.normal_(params.weight, 1, 0.02);
    if (params.bias) init.constant_(params.bias, 0);
  }
}

/**
 * The book's DCGAN discriminator: `model` = `Conv2d(c, 64, 4, 2, 1, bias=False), LeakyReLU(0.2),
 * [Conv2d(·, 2·, 4, 2, 1, bias=False), BatchNorm2d, LeakyReLU(0.2)] × 3, Conv2d(512, 1, 4, 1, 0,
 * bias=False), Sigmoid` (64×64 → 32 → 16 → 8 → 4 → 1; 2,765,568 parameters), initialised with
 * {@link weightsInit}. With `size: 28`: `Conv2d(1, 32, 4, 2, 1)` (→ 14), `Conv2d(32, 64, 4, 2, 1)`
 * (→ 7), `Conv2d(64, 128, 3, 2, 1)` (→ 4), `Conv2d(128, 1, 4, 1, 0)` (→ 1), the same norms and
 * activations (109,440 parameters). Maps images `[N, C, S, S]` in [-1, 1] to probabilities
 * `[N, 1, 1, 1]`; the state-dict keys are PyTorch's (`model.0.weight`, `model.3.running_mean`, …).
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Discriminator } from './dcgan.js';
 * const d = new Discriminator();
 * d.parameters().reduce((n, p) => n + p.numel(), 0); // 2765568
 * const small = new Discriminator({ size: 28 });
 * small.parameters().reduce((n, p) => n + p.numel(), 0); // 109440
 * small(zeros([2, 1, 28, 28])).shape; // [2, 1, 1, 1]
 * d.dispose();
 * small.dispose();
 * ```
 */
export class Discriminator extends Module {
  /** The options with their defaults. */
  readonly config: DcganConfig;
  /** The layers, in the book's order. */
  model: Sequential;

  constructor(options: DcganOptions = {}) {
    super();
    const c = dcganConfig(options);
    this.config = c;
    const f = c.features;
    const block = (i: number, o: number, k: number): Module[] => [new Conv2d(i, o, k, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(o), new LeakyReLU(0.2)];
    this.model =
      c.size === 64
        ? new Sequential(
            new Conv2d(c.channels, f, 4, { stride: 2, padding: 1, bias: false }),
            new LeakyReLU(0.2),
            ...block(f, f * 2, 4),
            ...block(f * 2, f * 4, 4),
            ...block(f * 4, f * 8, 4),
            new Conv2d(f * 8, 1, 4, { stride: 1, padding: 0, bias: false }),
            new Sigmoid(),
          )
        : new Sequential(
            new Conv2d(c.channels, f, 4, { stride: 2, padding: 1, bias: false }),
            new LeakyReLU(0.2),
            ...block(f, f * 2, 4),
            ...block(f * 2, f * 4, 3),
            new Conv2d(f * 4, 1, 4, { stride: 1, padding: 0, bias: false }),
            new Sigmoid(),
          );
    this.apply(weightsInit);
  }

  override forward(input: Tensor): Tensor {
    const { channels, size } = this.config;
    if (input.ndim !== 4 || input.shape[1] !== channels || input.shape[2] !== size || input.shape[3] !== size) {
      throw new RangeError(`Discriminator: expected images [N, ${channels}, ${size}, ${size}], got [${input.shape.join(', ')}]; build it with { size, channels } matching the images`);
    }
    return this.model(input);
  }
}

/**
 * The book's DCGAN generator: `model` = `ConvTranspose2d(100, 512, 4, 1, 0, bias=False),
 * BatchNorm2d, ReLU, [ConvTranspose2d(·, ·/2, 4, 2, 1, bias=False), BatchNorm2d, ReLU] × 3,
 * ConvTranspose2d(64, c, 4, 2, 1, bias=False), Tanh` (noise `[N, 100, 1, 1]` → 4 → 8 → 16 → 32 →
 * 64; 3,576,704 parameters), initialised with {@link weightsInit}. With `size: 28`:
 * `ConvTranspose2d(100, 128, 4, 1, 0)` (→ 4), `ConvTranspose2d(128, 64, 3, 2, 1)` (→ 7),
 * `ConvTranspose2d(64, 32, 4, 2, 1)` (→ 14), `ConvTranspose2d(32, 1, 4, 2, 1)` (→ 28), the same
 * norms and activations (312,256 parameters). Outputs images in [-1, 1].
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Generator } from './dcgan.js';
 * const g = new Generator();
 * g.parameters().reduce((n, p) => n + p.numel(), 0); // 3576704
 * const small = new Generator({ size: 28 });
 * small.parameters().reduce((n, p) => n + p.numel(), 0); // 312256
 * small(zeros([2, 100, 1, 1])).shape; // [2, 1, 28, 28]
 * g.dispose();
 * small.dispose();
 * ```
 */
export class Generator extends Module {
  /** The options with their defaults. */
  readonly config: DcganConfig;
  /** The layers, in the book's order. */
  model: Sequential;

  constructor(options: DcganOptions = {}) {
    super();
    const c = dcganConfig(options);
    this.config = c;
    const f = c.features;
    const block = (i: number, o: number, k: number, s: number, p: number): Module[] => [new ConvTranspose2d(i, o, k, { stride: s, padding: p, bias: false }), new BatchNorm2d(o), new ReLU()];
    this.model =
      c.size === 64
        ? new Sequential(
            ...block(c.latentDim, f * 8, 4, 1, 0),
            ...block(f * 8, f * 4, 4, 2, 1),
            ...block(f * 4, f * 2, 4, 2, 1),
            ...block(f * 2, f, 4, 2, 1),
            new ConvTranspose2d(f, c.channels, 4, { stride: 2, padding: 1, bias: false }),
            new Tanh(),
          )
        : new Sequential(
            ...block(c.latentDim, f * 4, 4, 1, 0),
            ...block(f * 4, f * 2, 3, 2, 1),
            ...block(f * 2, f, 4, 2, 1),
            new ConvTranspose2d(f, c.channels, 4, { stride: 2, padding: 1, bias: false }),
            new Tanh(),
          );
    this.apply(weightsInit);
  }

  override forward(input: Tensor): Tensor {
    const nz = this.config.latentDim;
    if (input.ndim !== 4 || input.shape[1] !== nz || input.shape[2] !== 1 || input.shape[3] !== 1) {
      throw new RangeError(`Generator: expected noise [N, ${nz}, 1, 1], got [${input.shape.join(', ')}]; draw it with randn([n, ${nz}, 1, 1])`);
    }
    return this.model(input);
  }
}

/** The parameter count of a module. */
function count(m: AnyModule): number {
  return m.parameters().reduce((n, p) => n + p.numel(), 0);
}

/**
 * Fashion-MNIST images (`[N, 1, 28, 28]` in [-1, 1], as {@link loadFashionMnistGanData} gives
 * them) as the DCGAN's training images `[N, C, S, S]`: resized bilinearly to 64×64 for `size: 64`
 * (the book's `Resize(64)`) and repeated to `channels` channels (the book's RGB layout).
 *
 * @example
 * ```ts
 * import { ones } from 'tensorgrad';
 * import { dcganImages } from './dcgan.js';
 * const x = dcganImages(ones([2, 1, 28, 28]), { size: 64, channels: 3 });
 * x.shape; // [2, 3, 64, 64]
 * x.max().itemSync(); // 1
 * ```
 */
export function dcganImages(images: Tensor, options: { size: DcganSize; channels: number }): Tensor {
  if (images.ndim !== 4 || images.shape[1] !== 1 || images.shape[2] !== 28 || images.shape[3] !== 28) {
    throw new RangeError(`dcganImages: expected Fashion-MNIST images [N, 1, 28, 28] in [-1, 1], got [${images.shape.join(', ')}]; load them with loadFashionMnistGanData`);
  }
  return tidy(() => {
    const n = images.shape[0]!;
    let x = images;
    if (options.size !== 28) x = interpolate(x, { size: [options.size, options.size], mode: 'bilinear', alignCorners: false }).clamp(-1, 1);
    if (options.channels !== 1) x = x.expand([n, options.channels, options.size, options.size]).contiguous();
    return x === images ? x.clone() : x;
  });
}

/**
 * The book's optimisers and loss for the two networks (its notebook globals): `BCELoss` and one
 * Adam per network with lr 0.0002 and betas (0.5, 0.999). Dispose the optimisers when done.
 *
 * @example
 * ```ts
 * import { Discriminator, Generator, dcganParts } from './dcgan.js';
 * const d = new Discriminator({ size: 28, features: 4 });
 * const g = new Generator({ size: 28, features: 4 });
 * const gan = dcganParts(d, g);
 * [gan.dOptimizer.paramGroups[0]!.lr, gan.gOptimizer.paramGroups[0]!.betas]; // [0.0002, [0.5, 0.999]]
 * ```
 */
export function dcganParts(discriminator: Discriminator, generator: Generator): GanParts {
  return {
    discriminator,
    dOptimizer: new Adam(discriminator.parameters(), { lr: 0.0002, betas: [0.5, 0.999] }),
    gOptimizer: new Adam(generator.parameters(), { lr: 0.0002, betas: [0.5, 0.999] }),
    loss: new BCELoss(),
  };
}

/**
 * One step of the book's training loop for one batch of real images: the generator's images for
 * `dNoise`, detached, go to the discriminator step (`discriminator_train_step`: real against 1,
 * generated against 0), then the generator's images for `gNoise` to the generator step
 * (`generator_train_step`: against 1). Both networks stay in training mode, so their batch norms
 * use the batch statistics and update their running statistics, as in the notebook. Returns the
 * two losses; the discriminator's is `error_real + error_fake`.
 *
 * @example
 * ```ts
 * import { Adam, BCELoss, manualSeed, rand } from 'tensorgrad';
 * import { Discriminator, Generator, dcganTrainStep } from './dcgan.js';
 * import { noise } from './gan-utils.js';
 * manualSeed(0);
 * const discriminator = new Discriminator({ size: 28, features: 4 });
 * const generator = new Generator({ size: 28, features: 4 });
 * const gan = { discriminator, dOptimizer: new Adam(discriminator.parameters(), { lr: 0.0002, betas: [0.5, 0.999] }),
 *   gOptimizer: new Adam(generator.parameters(), { lr: 0.0002, betas: [0.5, 0.999] }), loss: new BCELoss() };
 * const { dLoss, gLoss } = dcganTrainStep(gan, generator, rand([4, 1, 28, 28]).mul(2).sub(1), noise(4, 100, [1, 1]), noise(4, 100, [1, 1]));
 * dLoss > 0 && gLoss > 0; // true
 * ```
 */
export function dcganTrainStep(gan: GanParts, generator: AnyModule, realData: Tensor, dNoise: Tensor, gNoise: Tensor): { dLoss: number; gLoss: number } {
  return tidy(() => {
    const g = generator as unknown as (z: Tensor) => Tensor;
    // the notebook's `generator(…).detach()`: no graph is kept, but batch norm still updates its statistics
    const fakeData = noGrad(() => g(dNoise));
    const dLoss = discriminatorTrainStep(gan, realData, fakeData);
    const gLoss = generatorTrainStep(gan, g(gNoise));
    return { dLoss, gLoss };
  });
}

/** Options of {@link trainDcgan}. */
export interface TrainDcganOptions {
  /** Image side: 28 (default; the CPU variant) or 64 (the book's networks on resized garments). */
  size?: DcganSize;
  /** Image channels (default 1 at 28; 3 at 64, the book's RGB layout). */
  channels?: number;
  /** Base width (default 32 at 28, 64 at 64). */
  features?: number;
  /** Epochs (default 5; the book trains 25). */
  epochs?: number;
  /** Training images `[N, 1, 28, 28]` in [-1, 1], or how many of Fashion-MNIST's training images to load (default all 60,000). */
  images?: Tensor | number;
  /** Batch size (default 64, the book's). */
  batchSize?: number;
  /** Stop after this many steps in all. */
  maxSteps?: number;
  /** Seed of the initialisation, the noise and the batch order (default 0). */
  seed?: number;
  /** Folder for the per-epoch grids `epoch-NN.png` (none written when absent). */
  out?: string;
  /** Samples in each grid, from one fixed noise batch (default 64, the book's; 8 per row). */
  gridSamples?: number;
  /**
   * The generator's mode for the grids: `'eval'` (default, the book's `generator.eval()`: batch
   * norm's running statistics), `'train'` (the statistics of the 64 fixed samples), or `'both'`
   * (`epoch-NN.png` in eval mode and `epoch-NN-train.png` in train mode).
   */
  gridMode?: 'eval' | 'train' | 'both';
  /** Called with progress lines (the summaries, then one line per epoch). */
  log?: (line: string) => void;
}

/** One epoch of {@link trainDcgan}. */
export interface DcganEpoch {
  /** 1-based epoch. */
  epoch: number;
  /** Mean discriminator loss (real + fake BCE) over the epoch's steps. */
  dLoss: number;
  /** Mean generator loss over the epoch's steps. */
  gLoss: number;
  /** Wall-clock seconds of the epoch (training and the grid). */
  seconds: number;
  /** The grid written after the epoch, if any (the train-mode one with `gridMode: 'train'`). */
  grid: string | null;
  /** With `gridMode: 'both'`, the train-mode grid written beside {@link DcganEpoch.grid}. */
  trainGrid?: string;
}

/** What {@link trainDcgan} measured. */
export interface DcganResult {
  /** The networks' settings. */
  config: DcganConfig;
  /** Training images. */
  trainSize: number;
  /** Parameters of the discriminator and the generator. */
  parameters: { discriminator: number; generator: number };
  /** torchsummary-style tables of both networks. */
  summaries: { discriminator: ModelSummary; generator: ModelSummary };
  /** The losses of every step, in order. */
  steps: { dLoss: number; gLoss: number }[];
  /** One entry per epoch. */
  history: DcganEpoch[];
  /** Wall-clock seconds in all. */
  seconds: number;
}

/**
 * Trains the DCGAN as the book does: per batch of real images, generated images from fresh noise
 * (detached) for the book's `discriminator_train_step` (BCE of real images against 1 plus BCE of
 * generated ones against 0), then new generated images for its `generator_train_step` (BCE
 * against 1), both with Adam (lr 0.0002, betas (0.5, 0.999)); the losses are averaged per epoch
 * and, after each epoch, a grid of the generator's images for one fixed noise batch is written to
 * `out/epoch-NN.png` (`saveEpochGrid`: 8 per row, min–max normalised as the book's
 * `make_grid(…, normalize=True)`, drawn in eval mode as the book's samples, or as `gridMode` says).
 *
 * @example
 * ```ts
 * import { rand } from 'tensorgrad';
 * import { trainDcgan } from './dcgan.js';
 * const r = await trainDcgan({ images: rand([8, 1, 28, 28]).mul(2).sub(1), size: 28, features: 4, epochs: 1, batchSize: 4 });
 * [r.steps.length, r.history.length]; // [2, 1]
 * ```
 */
export async function trainDcgan(options: TrainDcganOptions = {}): Promise<DcganResult> {
  const started = Date.now();
  const seed = options.seed ?? 0;
  const size = options.size ?? 28;
  const batchSize = options.batchSize ?? 64;
  const epochs = options.epochs ?? 5;
  positiveInt('batchSize', batchSize);
  const gridMode = options.gridMode ?? 'eval';
  if (gridMode !== 'eval' && gridMode !== 'train' && gridMode !== 'both') throw new RangeError(`trainDcgan: expected gridMode 'eval', 'train' or 'both', got ${String(gridMode)}`);
  const config = dcganConfig({
    size,
    ...(options.channels === undefined ? {} : { channels: options.channels }),
    ...(options.features === undefined ? {} : { features: options.features }),
  });
  // the garments stay 28×28 × 1 in memory; each batch is resized (and its channel repeated) as it
  // is drawn, so 60,000 images at 64×64×3 (2.8 GB of float32) are never held at once
  let images: Tensor;
  if (typeof options.images === 'object') {
    const given = options.images;
    if (given.ndim !== 4 || given.shape[1] !== 1 || given.shape[2] !== 28 || given.shape[3] !== 28) {
      throw new RangeError(`trainDcgan: expected images [N, 1, 28, 28] in [-1, 1], got [${given.shape.join(', ')}]; load them with loadFashionMnistGanData`);
    }
    images = keep(given.clone());
  } else {
    const data = await loadFashionMnistGanData(options.images === undefined ? {} : { limit: options.images });
    images = data.images;
    data.labels.dispose();
  }
  manualSeed(seed);
  const discriminator = new Discriminator(config);
  const generator = new Generator(config);
  const summaries = {
    discriminator: summary(discriminator, [config.channels, size, size]),
    generator: summary(generator, [config.latentDim, 1, 1]),
  };
  const parameters = { discriminator: count(discriminator), generator: count(generator) };
  options.log?.(`Discriminator: ${parameters.discriminator.toLocaleString('en-US')} parameters\n${summaries.discriminator.text}\nGenerator: ${parameters.generator.toLocaleString('en-US')} parameters\n${summaries.generator.text}`);
  const gan = dcganParts(discriminator, generator);
  const nz = config.latentDim;
  const fixedNoise = keep(noise(options.gridSamples ?? 64, nz, [1, 1]));
  const n = images.shape[0]!;
  const steps: { dLoss: number; gLoss: number }[] = [];
  const history: DcganEpoch[] = [];
  const log = new LossLog();
  let rng = seed + 1;
  const random = (): number => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng / 4294967296;
  };
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let i = 0; i < n && (options.maxSteps === undefined || steps.length < options.maxSteps); i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        if (idx.length < 2) break; // batch norm needs two samples
        const step = tidy(() => {
          const realData = dcganImages(images.indexSelect(0, fromTypedArray(Int32Array.from(idx), [idx.length])), config);
          return dcganTrainStep(gan, generator, realData, noise(idx.length, nz, [1, 1]), noise(idx.length, nz, [1, 1]));
        });
        steps.push(step);
        log.record(step);
      }
      if (steps.length === 0) throw new RangeError(`trainDcgan: no training step ran (${n} images, batch size ${batchSize}); give at least two images`);
      let grid: string | null = null;
      let trainGrid: string | undefined;
      if (options.out) {
        const name = `epoch-${String(epoch).padStart(2, '0')}`;
        const imageShape = [config.channels, size, size] as const;
        if (gridMode === 'train') grid = await saveEpochGrid(generator, fixedNoise, join(options.out, `${name}.png`), { imageShape, mode: 'train' });
        else grid = await saveEpochGrid(generator, fixedNoise, join(options.out, `${name}.png`), { imageShape, mode: 'eval' });
        if (gridMode === 'both') trainGrid = await saveEpochGrid(generator, fixedNoise, join(options.out, `${name}-train.png`), { imageShape, mode: 'train' });
      }
      const e = log.endEpoch();
      const row: DcganEpoch = { epoch, dLoss: e.means.dLoss!, gLoss: e.means.gLoss!, seconds: e.seconds, grid, ...(trainGrid ? { trainGrid } : {}) };
      history.push(row);
      options.log?.(`epoch ${epoch}/${epochs}: d_loss ${row.dLoss.toFixed(3)}, g_loss ${row.gLoss.toFixed(3)} (${e.steps} steps, ${steps.length} in all, ${row.seconds.toFixed(1)} s)${grid ? `, ${grid}` : ''}${trainGrid ? `, ${trainGrid}` : ''}`);
      if (options.maxSteps !== undefined && steps.length >= options.maxSteps) break;
    }
    return { config, trainSize: n, parameters, summaries, steps, history, seconds: (Date.now() - started) / 1000 };
  } finally {
    gan.dOptimizer.dispose();
    gan.gOptimizer.dispose();
    discriminator.dispose();
    generator.dispose();
    fixedNoise.dispose();
    images.dispose();
  }
}

/**
 * The result as text: the parameter counts and the losses per epoch as a table.
 *
 * @example
 * ```ts
 * import { formatDcgan } from './dcgan.js';
 * formatDcgan({ config: { size: 28, channels: 1, features: 32, latentDim: 100 }, trainSize: 4, parameters: { discriminator: 1, generator: 2 },
 *   summaries: {} as never, steps: [], history: [{ epoch: 1, dLoss: 1.2, gLoss: 0.9, seconds: 3, grid: null }], seconds: 3 }).includes('| 1 | 1.200 | 0.900 | 3.0 |'); // true
 * ```
 */
export function formatDcgan(r: DcganResult): string {
  const c = r.config;
  return [
    `DCGAN ${c.size}×${c.size}×${c.channels} (features ${c.features}, noise ${c.latentDim}): discriminator ${r.parameters.discriminator.toLocaleString('en-US')} parameters, generator ${r.parameters.generator.toLocaleString('en-US')}; ${r.trainSize} training images, ${r.seconds.toFixed(0)} s`,
    '',
    '| epoch | d_loss | g_loss | seconds |',
    '|------:|-------:|-------:|--------:|',
    ...r.history.map((e) => `| ${e.epoch} | ${e.dLoss.toFixed(3)} | ${e.gLoss.toFixed(3)} | ${e.seconds.toFixed(1)} |`),
  ].join('\n');
}
