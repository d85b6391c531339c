/**
 * The book's chapter 12 ("Image Generation Using GANs"), its first notebook
 * (`Chapter12/Handwritten_digit_generation_using_GAN.ipynb`): a fully connected generator turns
 * 100 normal numbers into a 28×28 image, a fully connected discriminator tells real images from
 * generated ones, and the two are trained against each other with `BCELoss` and Adam (learning
 * rate 0.0002), batch 128 (`drop_last=True`). The book trains on MNIST digits for 200 epochs;
 * here the images are Fashion-MNIST garments (the only data set on these machines), normalised
 * like the book's (`Normalize(mean=(0.5,), std=(0.5,))`, so `[-1, 1]`).
 */
import { join } from 'node:path';
import {
  Adam,
  BCELoss,
  Dropout,
  epochPermutation,
  fromTypedArray,
  LeakyReLU,
  Linear,
  manualSeed,
  Module,
  Sequential,
  Sigmoid,
  summary,
  Tanh,
  tidy,
  type ModelSummary,
  type Tensor,
} from 'tensorgrad';
import { discriminatorTrainStep, generatorTrainStep, loadFashionMnistGanData, LossLog, noise, saveEpochGrid, type EpochLosses, type GanData } from './gan-utils.js';

/** The book's discriminator's parameter count (its `summary(discriminator, torch.zeros(1, 784))`). */
export const BOOK_DISCRIMINATOR_PARAMETERS = 1_460_225;
/** The book's generator's parameter count (its `summary(generator, torch.zeros(1, 100))`). */
export const BOOK_GENERATOR_PARAMETERS = 1_486_352;

/**
 * The book's `Discriminator`: `model = Sequential(Linear(784, 1024), LeakyReLU(0.2), Dropout(0.3),
 * Linear(1024, 512), LeakyReLU(0.2), Dropout(0.3), Linear(512, 256), LeakyReLU(0.2),
 * Dropout(0.3), Linear(256, 1), Sigmoid())` on flat images `[N, 784]`, returning the probability
 * `[N, 1]` that each is real; 1,460,225 parameters, state-dict keys `model.0.weight` …
 * `model.9.bias` as in PyTorch.
 *
 * @example
 * ```ts
 * import { zeros } from 'tensorgrad';
 * import { Discriminator } from './gan.js';
 * const d = new Discriminator();
 * d(zeros([2, 784])).shape; // [2, 1]
 * d.parameters().reduce((n, p) => n + p.numel(), 0); // 1460225
 * Object.keys(d.stateDict()).slice(0, 3); // ['model.0.weight', 'model.0.bias', 'model.3.weight']
 * ```
 */
export class Discriminator extends Module {
  /** The layers, in the book's order. */
  model = new Sequential(
    new Linear(784, 1024),
    new LeakyReLU(0.2),
    new Dropout(0.3),
    new Linear(1024, 512),
    new LeakyReLU(0.2),
    new Dropout(0.3),
    new Linear(512, 256),
    new LeakyReLU(0.2),
    new Dropout(0.3),
    new Linear(256, 1),
    new Sigmoid(),
  );

  override forward(x: Tensor): Tensor {
    if (x.ndim !== 2 || x.shape[1] !== 784) {
      throw new RangeError(`Discriminator: expected flat 28×28 images [N, 784], got [${x.shape.join(', ')}]; flatten them with x.reshape([N, 784]) (the book's images.view(len(images), -1))`);
    }
    return this.model(x);
  }
}

/**
 * The book's `Generator`: `model = Sequential(Linear(100, 256), LeakyReLU(0.2), Linear(256, 512),
 * LeakyReLU(0.2), Linear(512, 1024), LeakyReLU(0.2), Linear(1024, 784), Tanh())`, from noise
 * `[N, 100]` to flat images `[N, 784]` in `[-1, 1]`; 1,486,352 parameters.
 *
 * @example
 * ```ts
 * import { randn } from 'tensorgrad';
 * import { Generator } from './gan.js';
 * const g = new Generator();
 * g(randn([3, 100])).shape; // [3, 784]
 * g.parameters().reduce((n, p) => n + p.numel(), 0); // 1486352
 * ```
 */
export class Generator extends Module {
  /** The layers, in the book's order. */
  model = new Sequential(
    new Linear(100, 256),
    new LeakyReLU(0.2),
    new Linear(256, 512),
    new LeakyReLU(0.2),
    new Linear(512, 1024),
    new LeakyReLU(0.2),
    new Linear(1024, 784),
    new Tanh(),
  );

  override forward(z: Tensor): Tensor {
    if (z.ndim !== 2 || z.shape[1] !== 100) throw new RangeError(`Generator: expected noise [N, 100], got [${z.shape.join(', ')}]; draw it with noise(N)`);
    return this.model(z);
  }
}

/** Options of {@link runGan}. */
export interface GanOptions {
  /** The training images, or how many of Fashion-MNIST's training images to use (default all 60,000). */
  data?: GanData | number;
  /** Epochs (default 10; the book's 200 take hours on a CPU). */
  epochs?: number;
  /** Batch size (default 128, the book's; the last incomplete batch is dropped, as `drop_last=True`). */
  batchSize?: number;
  /** Adam's learning rate for both networks (default 0.0002, the book's). */
  lr?: number;
  /** Seed of the initialisation, the noise and the batch order (default 0). */
  seed?: number;
  /** Stop every epoch after this many steps (default: the whole epoch). */
  maxSteps?: number;
  /** Folder of the grids `epoch-NNN.png` (none written when absent). */
  out?: string;
  /** Called with progress lines (the summaries and one line per epoch). */
  log?: (line: string) => void;
}

/** What {@link runGan} measured. */
export interface GanResult {
  /** Training images used. */
  images: number;
  /** The torchsummary-style summaries of the two networks. */
  summaries: { discriminator: ModelSummary; generator: ModelSummary };
  /** Average `dLoss` and `gLoss` of every epoch (and its seconds). */
  history: EpochLosses[];
  /** The losses of every step, in order. */
  steps: { dLoss: number; gLoss: number }[];
  /** The grids written, one per epoch. */
  grids: string[];
  /** Wall-clock seconds in all. */
  seconds: number;
}

/**
 * The grid's file name of an epoch: `epoch-001.png`.
 *
 * @example
 * ```ts
 * import { gridName } from './gan.js';
 * gridName(7); // 'epoch-007.png'
 * ```
 */
export function gridName(epoch: number): string {
  return `epoch-${String(epoch).padStart(3, '0')}.png`;
}

/**
 * Trains the book's GAN: every step, as the notebook's loop, draws fake images from noise,
 * detaches them and takes a {@link discriminatorTrainStep} on the real and fake batch, then draws
 * new fake images and takes a {@link generatorTrainStep}; logs the epoch's mean losses and saves
 * the generator's images for 64 fixed noise vectors as an 8×8 grid after every epoch.
 *
 * @example
 * ```ts
 * import { tensor, rand } from 'tensorgrad';
 * import { runGan } from './gan.js';
 * const data = { images: rand([8, 1, 28, 28]).mul(2).sub(1), labels: tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' }) };
 * const r = await runGan({ data, epochs: 1, batchSize: 4 });
 * [r.steps.length, r.history.length]; // [2, 1]
 * r.summaries.generator.totalParams; // 1486352
 * ```
 */
export async function runGan(options: GanOptions = {}): Promise<GanResult> {
  const started = Date.now();
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 128;
  const lr = options.lr ?? 0.0002;
  const owned = typeof options.data !== 'object';
  const data = typeof options.data === 'object' ? options.data : await loadFashionMnistGanData(options.data === undefined ? {} : { limit: options.data });
  const n = data.images.shape[0]!;
  if (n < batchSize) throw new RangeError(`runGan: ${n} images make no full batch of ${batchSize}; use more images or a smaller batchSize`);
  manualSeed(seed);
  const discriminator = new Discriminator();
  const generator = new Generator();
  const dOptimizer = new Adam(discriminator.parameters(), { lr });
  const gOptimizer = new Adam(generator.parameters(), { lr });
  const loss = new BCELoss();
  const gan = { discriminator, dOptimizer, gOptimizer, loss };
  const fixedNoise = noise(64);
  const flat = data.images.reshape([n, 784]);
  try {
    const summaries = { discriminator: summary(discriminator, [784]), generator: summary(generator, [100]) };
    options.log?.(`Discriminator\n${summaries.discriminator.text}\nGenerator\n${summaries.generator.text}`);
    const log = new LossLog();
    const steps: { dLoss: number; gLoss: number }[] = [];
    const grids: string[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = epochPermutation(n, BigInt(seed), epoch);
      const stepsPerEpoch = Math.min(Math.floor(n / batchSize), options.maxSteps ?? Infinity);
      for (let i = 0; i < stepsPerEpoch; i++) {
        const pick = fromTypedArray(Int32Array.from(order.slice(i * batchSize, (i + 1) * batchSize)), [batchSize]);
        const realData = flat.indexSelect(0, pick);
        const fakeData = tidy(() => generator(noise(batchSize)).detach());
        const dLoss = discriminatorTrainStep(gan, realData, fakeData);
        for (const t of [pick, realData, fakeData]) t.dispose();
        const gLoss = tidy(() => generatorTrainStep(gan, generator(noise(batchSize))));
        steps.push({ dLoss, gLoss });
        log.record({ dLoss, gLoss });
      }
      const e = log.endEpoch();
      options.log?.(`epoch ${epoch}/${epochs}: d_loss ${e.means.dLoss!.toFixed(4)}, g_loss ${e.means.gLoss!.toFixed(4)} (${e.seconds.toFixed(1)} s)`);
      if (options.out) grids.push(await saveEpochGrid(generator, fixedNoise, join(options.out, gridName(epoch))));
    }
    return { images: n, summaries, history: log.history, steps, grids, seconds: (Date.now() - started) / 1000 };
  } finally {
    for (const t of [flat, fixedNoise]) t.dispose();
    dOptimizer.dispose();
    gOptimizer.dispose();
    discriminator.dispose();
    generator.dispose();
    if (owned) {
      data.images.dispose();
      data.labels.dispose();
    }
  }
}

/** How {@link formatGan} names the networks and what it compares their parameter counts with. */
export interface FormatGanOptions {
  /** The networks' names (default `['Discriminator', 'Generator']`). */
  names?: readonly [string, string];
  /** The counts to print beside the measured ones and what they are (default the book's GAN counts). */
  reference?: { discriminator: number; generator: number; label: string };
}

/**
 * The result as text: the parameter counts against the book's and the per-epoch loss table.
 *
 * @example
 * ```ts
 * import { formatGan } from './gan.js';
 * const fake = { totalParams: 1460225 } as never;
 * const text = formatGan({ images: 128, summaries: { discriminator: fake, generator: { totalParams: 1486352 } as never },
 *   history: [{ epoch: 1, means: { dLoss: 1, gLoss: 2 }, steps: 1, seconds: 1 }], steps: [], grids: [], seconds: 1 });
 * text.includes('Discriminator: 1,460,225 parameters (the book: 1,460,225)'); // true
 * text.includes('| 1 | 1.0000 | 2.0000 | 1.0 |'); // true
 * ```
 */
export function formatGan(r: Pick<GanResult, 'images' | 'summaries' | 'history' | 'grids' | 'seconds'>, options: FormatGanOptions = {}): string {
  const [dName, gName] = options.names ?? ['Discriminator', 'Generator'];
  const ref = options.reference ?? { discriminator: BOOK_DISCRIMINATOR_PARAMETERS, generator: BOOK_GENERATOR_PARAMETERS, label: 'the book' };
  const log = new LossLog();
  log.history.push(...r.history);
  const f = (v: number): string => v.toLocaleString('en-US');
  const lines = [
    `${dName}: ${f(r.summaries.discriminator.totalParams)} parameters (${ref.label}: ${f(ref.discriminator)})`,
    `${gName}: ${f(r.summaries.generator.totalParams)} parameters (${ref.label}: ${f(ref.generator)})`,
    `${r.images} training images, ${r.history.length} epochs, ${r.seconds.toFixed(0)} s`,
    '',
    log.table(),
  ];
  if (r.grids.length) lines.push('', `grids: ${r.grids.join(', ')}`);
  return lines.join('\n');
}
