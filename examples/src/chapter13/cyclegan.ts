/**
 * The book's chapter 13 CycleGAN (`Chapter13/CycleGAN.ipynb`, "Leveraging CycleGAN"): two ResNet
 * generators, `G_AB` (apples → oranges in the book) and `G_BA` (back), and two PatchGAN
 * discriminators `D_A`, `D_B`, trained on unpaired images with the adversarial MSE loss, the
 * cycle-consistency L1 loss (`lambda_cyc = 10`) and the identity L1 loss (`lambda_id = 5`), Adam
 * at 2e-4 with betas (0.5, 0.999), batch 1, 256×256 RGB images, 10 epochs, no learning-rate
 * schedule. The notebook's modules are the PyTorch-GAN reference's (eriklindernoren,
 * `implementations/cyclegan/models.py`) with 3 channels fixed; the reference also keeps the
 * fakes the discriminators see in an image pool, {@link ReplayBuffer} (used here unless
 * `pool: false`; the notebook feeds the discriminators the newest fakes).
 *
 * Here the two domains are two Fashion-MNIST classes (sneakers ↔ ankle boots by default), grey
 * 32×32 images, and — for two CPU cores — fewer filters and residual blocks
 * ({@link GeneratorResNetOptions}); the defaults build the book's model.
 */
import {
  Adam,
  add,
  cat,
  Conv2d,
  InstanceNorm2d,
  keep,
  l1Loss,
  LeakyReLU,
  Module,
  mseLoss,
  ones,
  ReflectionPad2d,
  ReLU,
  Sequential,
  Tanh,
  tidy,
  Upsample,
  zeros,
  ZeroPad2d,
  init,
  type AnyModule,
  type Tensor,
} from 'tensorgrad';

function positiveInt(owner: string, name: string, v: unknown, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new TypeError(`${owner}: expected ${name} to be an integer ≥ ${min}, got ${String(v)}`);
  return v;
}

function checkKeys(owner: string, options: object, allowed: readonly string[]): void {
  for (const k of Object.keys(options)) {
    if (!allowed.includes(k)) throw new TypeError(`${owner}: unknown option '${k}'; expected one of ${allowed.join(', ')}`);
  }
}

/**
 * The CycleGAN notebook's `weights_init_normal` (the PyTorch-GAN reference's `cyclegan/models.py`),
 * applied by {@link GeneratorResNet} and {@link Discriminator}: every module whose class name
 * contains `Conv` gets weights from N(0, 0.02) and a zero bias (when it has one); every
 * `BatchNorm2d` gets weights from N(1, 0.02) and a zero bias. (The book's pix2pix version leaves
 * the convolutions' biases alone: `weightsInitNormal` of `pix2pix.ts`.)
 *
 * @example
 * ```ts
 * import { Conv2d, manualSeed } from 'tensorgrad';
 * import { weightsInitNormal } from './cyclegan.js';
 * manualSeed(0);
 * const conv = new Conv2d(8, 64, 4).apply(weightsInitNormal);
 * const w = conv.weight.dataSync();
 * const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
 * [Math.abs(std - 0.02) < 0.002, conv.bias!.dataSync().every((v) => v === 0)]; // [true, true]
 * ```
 */
export function weightsInitNormal(m: AnyModule): void {
  const classname = m.constructor.name;
  const weight = (m as unknown as { weight?: Tensor | null }).weight;
  const bias = (m as unknown as { bias?: Tensor | null }).bias;
  if (classname.includes('Conv')) {
    if (weight) init.normal_(weight, 0.0, 0.02);
    if (bias) init.constant_(bias, 0.0);
  } else if (classname.includes('BatchNorm2d')) {
    if (weight) init.normal_(weight, 1.0, 0.02);
    if (bias) init.constant_(bias, 0.0);
  }
}

/**
 * The book's `ResidualBlock(in_features)`: `x + block(x)` with `block = Sequential(ReflectionPad2d(1),
 * Conv2d(f, f, 3), InstanceNorm2d(f), ReLU, ReflectionPad2d(1), Conv2d(f, f, 3), InstanceNorm2d(f))`.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { ResidualBlock } from './cyclegan.js';
 * const r = new ResidualBlock(8);
 * r(zeros([1, 8, 5, 5])).shape; // [1, 8, 5, 5]
 * Object.keys(r.stateDict()); // ['block.1.weight', 'block.1.bias', 'block.5.weight', 'block.5.bias']
 * ```
 */
export class ResidualBlock extends Module {
  /** The two padded convolutions. */
  declare block: Sequential;
  constructor(inFeatures: number) {
    super();
    positiveInt('ResidualBlock', 'inFeatures', inFeatures, 0);
    this.block = new Sequential(
      new ReflectionPad2d(1),
      new Conv2d(inFeatures, inFeatures, 3),
      new InstanceNorm2d(inFeatures),
      new ReLU(),
      new ReflectionPad2d(1),
      new Conv2d(inFeatures, inFeatures, 3),
      new InstanceNorm2d(inFeatures),
    );
  }
  override forward(x: Tensor): Tensor {
    return add(x, this.block(x));
  }
}

/** Options of {@link GeneratorResNet}. */
export interface GeneratorResNetOptions {
  /** Residual blocks (the book's `num_residual_blocks`, default 9). */
  numResidualBlocks?: number;
  /** Image channels (the book's `channels = 3`, default 3). */
  channels?: number;
  /** Filters of the first convolution (the book's `out_features = 64`, default 64). */
  ngf?: number;
}

/**
 * The book's `GeneratorResNet(num_residual_blocks=9)`: `model = Sequential(ReflectionPad2d(3),
 * Conv2d(3, 64, 7), InstanceNorm2d(64), ReLU`, two down-sampling stages `Conv2d(f, 2f, 3,
 * stride=2, padding=1), InstanceNorm2d, ReLU` (64→128→256), `num_residual_blocks` ×
 * {@link ResidualBlock}(256), two up-sampling stages `Upsample(scale_factor=2), Conv2d(f, f/2, 3,
 * padding=1), InstanceNorm2d, ReLU` (256→128→64), `ReflectionPad2d(3), Conv2d(64, 3, 7), Tanh)`,
 * `weights_init_normal` applied. 11,378,179 parameters with the defaults, as PyTorch counts the
 * book's model. Height and width must be multiples of 4.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { GeneratorResNet } from './cyclegan.js';
 * const g = new GeneratorResNet({ numResidualBlocks: 2, channels: 1, ngf: 8 });
 * g(zeros([1, 1, 32, 32])).shape; // [1, 1, 32, 32]
 * g.model.length; // 23
 * ```
 */
export class GeneratorResNet extends Module {
  /** Every layer, in order. */
  declare model: Sequential;
  constructor(numResidualBlocks?: number, options?: Omit<GeneratorResNetOptions, 'numResidualBlocks'>);
  constructor(options?: GeneratorResNetOptions);
  constructor(first?: number | GeneratorResNetOptions, rest: Omit<GeneratorResNetOptions, 'numResidualBlocks'> = {}) {
    super();
    const options: GeneratorResNetOptions = typeof first === 'number' ? { ...rest, numResidualBlocks: first } : (first ?? {});
    checkKeys('GeneratorResNet', options, ['numResidualBlocks', 'channels', 'ngf']);
    const numResidualBlocks = positiveInt('GeneratorResNet', 'numResidualBlocks', options.numResidualBlocks, 9, 0);
    const channels = positiveInt('GeneratorResNet', 'channels', options.channels, 3);
    let outFeatures = positiveInt('GeneratorResNet', 'ngf', options.ngf, 64);
    const model: AnyModule[] = [new ReflectionPad2d(3), new Conv2d(channels, outFeatures, 7), new InstanceNorm2d(outFeatures), new ReLU()];
    let inFeatures = outFeatures;
    for (let i = 0; i < 2; i++) {
      outFeatures *= 2;
      model.push(new Conv2d(inFeatures, outFeatures, 3, { stride: 2, padding: 1 }), new InstanceNorm2d(outFeatures), new ReLU());
      inFeatures = outFeatures;
    }
    for (let i = 0; i < numResidualBlocks; i++) model.push(new ResidualBlock(outFeatures));
    for (let i = 0; i < 2; i++) {
      outFeatures = Math.floor(outFeatures / 2);
      model.push(new Upsample({ scaleFactor: 2 }), new Conv2d(inFeatures, outFeatures, 3, { stride: 1, padding: 1 }), new InstanceNorm2d(outFeatures), new ReLU());
      inFeatures = outFeatures;
    }
    // the book pads by `channels` (3 there, the 7×7 kernel's half width): kept as 3 so other channel counts keep the size
    model.push(new ReflectionPad2d(3), new Conv2d(outFeatures, channels, 7), new Tanh());
    this.model = new Sequential(...model);
    this.apply(weightsInitNormal);
  }
  override forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[2]! % 4 !== 0 || x.shape[3]! % 4 !== 0) {
      throw new RangeError(`GeneratorResNet: expected images [N, C, H, W] with H and W multiples of 4 (two stride-2 stages, then two ×2 up-samplings), got [${x.shape.join(', ')}]`);
    }
    return this.model(x);
  }
}

/** Options of the CycleGAN {@link Discriminator}. */
export interface CycleGANDiscriminatorOptions {
  /** Image channels (the book's `channels = 3`, default 3). */
  channels?: number;
  /** Filters of the first block (default 64, the book's): 1, 2, 4 and 8 times this. */
  ndf?: number;
}

/**
 * The book's CycleGAN `Discriminator()`: `model = Sequential(Conv2d(3, 64, 4, 2, 1),
 * LeakyReLU(0.2), Conv2d(64, 128, 4, 2, 1), InstanceNorm2d(128), LeakyReLU(0.2), …256…, …512…,
 * ZeroPad2d((1, 0, 1, 0)), Conv2d(512, 1, 4, padding=1))`: one score per patch, `[N, 1, H/16,
 * W/16]` (the notebook's `(1, 16, 16)` targets for 256×256 images); `weights_init_normal`
 * applied. 2,764,737 parameters with the defaults.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Discriminator } from './cyclegan.js';
 * new Discriminator({ channels: 1, ndf: 8 })(zeros([2, 1, 32, 32])).shape; // [2, 1, 2, 2]
 * ```
 */
export class Discriminator extends Module {
  /** The PatchGAN's layers. */
  declare model: Sequential;
  constructor(options: CycleGANDiscriminatorOptions = {}) {
    super();
    checkKeys('Discriminator', options, ['channels', 'ndf']);
    const channels = positiveInt('Discriminator', 'channels', options.channels, 3);
    const ndf = positiveInt('Discriminator', 'ndf', options.ndf, 64);
    const block = (inFilters: number, outFilters: number, normalize = true): AnyModule[] => [
      new Conv2d(inFilters, outFilters, 4, { stride: 2, padding: 1 }),
      ...(normalize ? [new InstanceNorm2d(outFilters)] : []),
      new LeakyReLU(0.2),
    ];
    this.model = new Sequential(
      ...block(channels, ndf, false),
      ...block(ndf, ndf * 2),
      ...block(ndf * 2, ndf * 4),
      ...block(ndf * 4, ndf * 8),
      new ZeroPad2d([1, 0, 1, 0]),
      new Conv2d(ndf * 8, 1, 4, { padding: 1 }),
    );
    this.apply(weightsInitNormal);
  }
  override forward(img: Tensor): Tensor {
    return this.model(img);
  }
}

/** Options of {@link ReplayBuffer}. */
export interface ReplayBufferOptions {
  /** Images kept (the reference's `max_size`, default 50). */
  maxSize?: number;
  /** Uniform numbers in [0, 1) for the replacement decisions (default `Math.random`; pass a seeded one for reproducible runs). */
  random?: () => number;
}

/**
 * The reference's image pool `ReplayBuffer(max_size=50)` (Shrivastava et al.'s history of
 * generated images, used by CycleGAN so the discriminators also see older fakes): `pushAndPop(data)`
 * goes through the batch one image at a time; while fewer than `maxSize` images are stored the
 * image is stored and returned; after that, with probability ½ a random stored image is returned
 * and replaced by the new one, otherwise the new image is returned. The result is `[N, …]` like
 * `data`, detached. The stored images are kept out of `tidy`: call `dispose()` when done.
 *
 * @example
 * ```ts
 * import { tensor } from 'tensorgrad';
 * import { ReplayBuffer } from './cyclegan.js';
 * const pool = new ReplayBuffer({ maxSize: 2, random: () => 0.9 });
 * await pool.pushAndPop(tensor([[1], [2]])).array(); // [[1], [2]]
 * pool.length; // 2
 * // full: 0.9 > 0.5, so each image swaps with stored image floor(0.9 · 2) = 1
 * await pool.pushAndPop(tensor([[3], [4]])).array(); // [[2], [3]]
 * pool.dispose();
 * ```
 */
export class ReplayBuffer {
  /** The most images stored. */
  readonly maxSize: number;
  private readonly data: Tensor[] = [];
  private readonly random: () => number;
  constructor(maxSize?: number, options?: Omit<ReplayBufferOptions, 'maxSize'>);
  constructor(options?: ReplayBufferOptions);
  constructor(first?: number | ReplayBufferOptions, rest: Omit<ReplayBufferOptions, 'maxSize'> = {}) {
    const options: ReplayBufferOptions = typeof first === 'number' ? { ...rest, maxSize: first } : (first ?? {});
    checkKeys('ReplayBuffer', options, ['maxSize', 'random']);
    const maxSize = options.maxSize ?? 50;
    if (!Number.isInteger(maxSize) || maxSize <= 0) throw new RangeError(`ReplayBuffer: expected maxSize to be a positive integer (an empty buffer would never return a stored image), got ${String(maxSize)}`);
    this.maxSize = maxSize;
    this.random = options.random ?? Math.random;
  }
  /** Images stored now (at most `maxSize`). */
  get length(): number {
    return this.data.length;
  }
  /**
   * Stores the images of `data` (`[N, …]`) and returns as many: each the new image or, once the
   * pool is full and with probability ½, a stored one it replaces.
   */
  pushAndPop(data: Tensor): Tensor {
    if (data.ndim < 1 || data.shape[0] === 0) throw new RangeError(`ReplayBuffer.pushAndPop: expected a batch [N, …] with N ≥ 1, got [${data.shape.join(', ')}]`);
    return tidy(() => {
      const toReturn: Tensor[] = [];
      const d = data.detach();
      for (let i = 0; i < d.shape[0]!; i++) {
        const element = d.narrow(0, i, 1);
        if (this.data.length < this.maxSize) {
          this.data.push(keep(element.clone()));
          toReturn.push(element);
        } else if (this.random() > 0.5) {
          const j = Math.min(this.maxSize - 1, Math.floor(this.random() * this.maxSize));
          toReturn.push(this.data[j]!.clone());
          this.data[j]!.dispose();
          this.data[j] = keep(element.clone());
        } else {
          toReturn.push(element);
        }
      }
      return cat(toReturn, 0);
    });
  }
  /** Frees the stored images. */
  dispose(): void {
    for (const t of this.data) t.dispose();
    this.data.length = 0;
  }
}

/** The book's weights: cycle consistency `lambda_cyc = 10`, identity `lambda_id = 5`. */
export const LAMBDA_CYC = 10;
/** See {@link LAMBDA_CYC}. */
export const LAMBDA_ID = 5;

/** The models, optimizers and image pools of a CycleGAN run. */
export interface CycleGAN {
  /** A → B. */
  G_AB: GeneratorResNet;
  /** B → A. */
  G_BA: GeneratorResNet;
  /** Judges domain A. */
  D_A: Discriminator;
  /** Judges domain B. */
  D_B: Discriminator;
  /** Adam over both generators' parameters (the book's `itertools.chain`). */
  optimizerG: Adam;
  /** Adam over `D_A`. */
  optimizerD_A: Adam;
  /** Adam over `D_B`. */
  optimizerD_B: Adam;
  /** Pools of the fakes `D_A` and `D_B` see (null: the newest fakes, as the notebook). */
  fakeABuffer: ReplayBuffer | null;
  /** See `fakeABuffer`. */
  fakeBBuffer: ReplayBuffer | null;
}

/** The losses of one {@link cycleGANTrainStep}, as the notebook logs them. */
export interface CycleGANLosses {
  /** `(lossD_A + lossD_B) / 2`. */
  lossD: number;
  /** `lossGAN + 10·lossCycle + 5·lossIdentity`. */
  lossG: number;
  /** `(MSE(D_B(G_AB(A)), 1) + MSE(D_A(G_BA(B)), 1)) / 2`. */
  lossGAN: number;
  /** `(L1(G_BA(G_AB(A)), A) + L1(G_AB(G_BA(B)), B)) / 2`. */
  lossCycle: number;
  /** `(L1(G_BA(A), A) + L1(G_AB(B), B)) / 2`. */
  lossIdentity: number;
}

/**
 * Builds the book's CycleGAN: two {@link GeneratorResNet}, two {@link Discriminator}, Adam at
 * `lr` (default 2e-4) with betas (0.5, 0.999), and two {@link ReplayBuffer}s (50 images) unless
 * `pool` is false.
 *
 * @example
 * ```ts
 * import { createCycleGAN, disposeCycleGAN } from './cyclegan.js';
 * const m = createCycleGAN({ generator: { numResidualBlocks: 1, channels: 1, ngf: 4 }, discriminator: { channels: 1, ndf: 4 } });
 * [m.fakeABuffer!.maxSize, m.G_AB === m.G_BA]; // [50, false]
 * disposeCycleGAN(m);
 * ```
 */
export function createCycleGAN(options: { generator?: GeneratorResNetOptions; discriminator?: CycleGANDiscriminatorOptions; lr?: number; pool?: boolean; random?: () => number } = {}): CycleGAN {
  const G_AB = new GeneratorResNet(options.generator ?? {});
  const G_BA = new GeneratorResNet(options.generator ?? {});
  const D_A = new Discriminator(options.discriminator ?? {});
  const D_B = new Discriminator(options.discriminator ?? {});
  const adam = { lr: options.lr ?? 2e-4, betas: [0.5, 0.999] as [number, number] };
  const pool = options.pool ?? true;
  const random = options.random ?? Math.random;
  return {
    G_AB,
    G_BA,
    D_A,
    D_B,
    optimizerG: new Adam([...G_AB.parameters(), ...G_BA.parameters()], adam),
    optimizerD_A: new Adam(D_A.parameters(), adam),
    optimizerD_B: new Adam(D_B.parameters(), adam),
    fakeABuffer: pool ? new ReplayBuffer({ maxSize: 50, random }) : null,
    fakeBBuffer: pool ? new ReplayBuffer({ maxSize: 50, random }) : null,
  };
}

/**
 * Frees the models, optimizers and pools of {@link createCycleGAN}.
 *
 * @example
 * ```ts
 * import { createCycleGAN, disposeCycleGAN } from './cyclegan.js';
 * disposeCycleGAN(createCycleGAN({ generator: { numResidualBlocks: 0, channels: 1, ngf: 2 }, discriminator: { channels: 1, ndf: 2 } }));
 * ```
 */
export function disposeCycleGAN(m: CycleGAN): void {
  for (const o of [m.optimizerG, m.optimizerD_A, m.optimizerD_B]) o.dispose();
  for (const g of [m.G_AB, m.G_BA, m.D_A, m.D_B]) g.dispose();
  m.fakeABuffer?.dispose();
  m.fakeBBuffer?.dispose();
}

/**
 * One training step as the book's loop: `generator_train_step` (identity, adversarial and cycle
 * losses of both generators, one Adam step over both), then `discriminator_train_step` for `D_A`
 * on (`realA`, the fake A's) and for `D_B` on (`realB`, the fake B's), each `(MSE(D(real), 1) +
 * MSE(D(fake.detach()), 0)) / 2`; the fakes pass through the image pools when there are.
 * `realA`, `realB` are `[N, C, H, W]` in [-1, 1].
 *
 * @example
 * ```ts
 * import { manualSeed, rand } from 'tensorgrad';
 * import { createCycleGAN, cycleGANTrainStep, disposeCycleGAN } from './cyclegan.js';
 * manualSeed(0);
 * const m = createCycleGAN({ generator: { numResidualBlocks: 1, channels: 1, ngf: 4 }, discriminator: { channels: 1, ndf: 4 } });
 * const l = cycleGANTrainStep(m, rand([1, 1, 32, 32]).mul(2).sub(1), rand([1, 1, 32, 32]).mul(2).sub(1));
 * Math.abs(l.lossG - (l.lossGAN + 10 * l.lossCycle + 5 * l.lossIdentity)) < 1e-3; // true
 * disposeCycleGAN(m);
 * ```
 */
export function cycleGANTrainStep(m: CycleGAN, realA: Tensor, realB: Tensor): CycleGANLosses {
  return tidy(() => {
    for (const g of [m.G_AB, m.G_BA, m.D_A, m.D_B]) g.train();
    // generator_train_step
    m.optimizerG.zeroGrad();
    const lossIdA = l1Loss(m.G_BA(realA), realA);
    const lossIdB = l1Loss(m.G_AB(realB), realB);
    const lossIdentity = lossIdA.add(lossIdB).div(2);
    const fakeB = m.G_AB(realA);
    const predFakeB = m.D_B(fakeB);
    const valid = ones(predFakeB.shape);
    const lossGAN_AB = mseLoss(predFakeB, valid);
    const fakeA = m.G_BA(realB);
    const predFakeA = m.D_A(fakeA);
    const lossGAN_BA = mseLoss(predFakeA, ones(predFakeA.shape));
    const lossGAN = lossGAN_AB.add(lossGAN_BA).div(2);
    const lossCycleA = l1Loss(m.G_BA(fakeB), realA);
    const lossCycleB = l1Loss(m.G_AB(fakeA), realB);
    const lossCycle = lossCycleA.add(lossCycleB).div(2);
    const lossG = lossGAN.add(lossCycle.mul(LAMBDA_CYC)).add(lossIdentity.mul(LAMBDA_ID));
    lossG.backward();
    m.optimizerG.step();
    // discriminator_train_step for D_A and D_B
    const discriminatorStep = (D: Discriminator, optimizer: Adam, real: Tensor, fake: Tensor): Tensor => {
      optimizer.zeroGrad();
      const predReal = D(real);
      const lossReal = mseLoss(predReal, ones(predReal.shape));
      const predFake = D(fake.detach());
      const lossFake = mseLoss(predFake, zeros(predFake.shape));
      const lossD = lossReal.add(lossFake).div(2);
      lossD.backward();
      optimizer.step();
      return lossD;
    };
    const lossD_A = discriminatorStep(m.D_A, m.optimizerD_A, realA, m.fakeABuffer ? m.fakeABuffer.pushAndPop(fakeA) : fakeA);
    const lossD_B = discriminatorStep(m.D_B, m.optimizerD_B, realB, m.fakeBBuffer ? m.fakeBBuffer.pushAndPop(fakeB) : fakeB);
    return {
      lossD: lossD_A.add(lossD_B).div(2).itemSync() as number,
      lossG: lossG.itemSync() as number,
      lossGAN: lossGAN.itemSync() as number,
      lossCycle: lossCycle.itemSync() as number,
      lossIdentity: lossIdentity.itemSync() as number,
    };
  });
}
