/**
 * Helpers shared by the book's chapter 12 and 13 GAN programs: the noise the generators start
 * from (the notebooks' `noise(size)`), the book's two training steps
 * (`discriminator_train_step`, `generator_train_step`), a per-epoch loss log (the notebooks'
 * torch_snippets `Report`: `record` every step, `report_avgs` every epoch), the grid of samples
 * saved after every epoch, and Fashion-MNIST as the `[-1, 1]` tensors the generators' `Tanh`
 * outputs are compared with.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  FashionMNIST,
  fromTypedArray,
  keep,
  noGrad,
  onesLike,
  randn,
  saveImage,
  tidy,
  zerosLike,
  type AnyModule,
  type Optimizer,
  type Tensor,
} from 'tensorgrad';

/**
 * The book's `noise(size)`: a `[size, z]` batch of standard normal vectors (`torch.randn(size,
 * 100)`), drawn from the global generator (seed it with `manualSeed`). `shape` appends trailing
 * sizes, e.g. `[1, 1]` for the DCGAN's `[size, 100, 1, 1]`.
 *
 * @example
 * ```ts
 * import { noise } from './gan-utils.js';
 * noise(4).shape; // [4, 100]
 * noise(2, 64, [1, 1]).shape; // [2, 64, 1, 1]
 * ```
 */
export function noise(size: number, z = 100, shape: readonly number[] = []): Tensor {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`noise: expected the batch size to be a positive integer, got ${size}; e.g. noise(64)`);
  if (!Number.isInteger(z) || z < 1) throw new RangeError(`noise: expected the latent size z to be a positive integer, got ${z}; the book's is 100`);
  return randn([size, z, ...shape]);
}

/** A model's inputs: one tensor, or several (a conditional model's images and labels). */
export type GanInputs = Tensor | readonly Tensor[];

/** The parts the book's training steps use (its notebook globals). */
export interface GanParts {
  /** The discriminator: inputs → probabilities that they are real (after a `Sigmoid`). */
  discriminator: AnyModule;
  /** Adam over the discriminator's parameters (`d_optimizer`). */
  dOptimizer: Optimizer;
  /** Adam over the generator's parameters (`g_optimizer`). */
  gOptimizer: Optimizer;
  /** The loss between predictions and 0/1 targets (`nn.BCELoss()` in the book). */
  loss: (prediction: Tensor, target: Tensor) => Tensor;
}

const asList = (x: GanInputs): Tensor[] => (Array.isArray(x) ? [...(x as readonly Tensor[])] : [x as Tensor]);
const callOn = (model: AnyModule, inputs: GanInputs): Tensor => (model as unknown as (...xs: Tensor[]) => Tensor)(...asList(inputs));

/**
 * The book's `discriminator_train_step(real_data, fake_data)`: zeroes the discriminator's
 * gradients, back-propagates the loss of its predictions on the real data against ones and on the
 * fake data against zeros (two `backward` calls, as the book), takes one `dOptimizer` step and
 * returns `error_real + error_fake`. Pass the fake data detached from the generator (the book's
 * `fake_data.detach()`), and several tensors for a conditional discriminator (`[images, labels]`).
 * The targets have the predictions' shape (`torch.ones(len(real_data), 1)` for `[N, 1]`).
 *
 * @example
 * ```ts
 * import { Adam, BCELoss, Linear, Sequential, Sigmoid, manualSeed, randn } from 'tensorgrad';
 * import { discriminatorTrainStep } from './gan-utils.js';
 * manualSeed(0);
 * const discriminator = new Sequential(new Linear(4, 1), new Sigmoid());
 * const gan = { discriminator, dOptimizer: new Adam(discriminator.parameters(), { lr: 0.01 }), gOptimizer: new Adam(discriminator.parameters()), loss: new BCELoss() };
 * const real = randn([8, 4]).add(2);
 * const fake = randn([8, 4]).sub(2);
 * const first = discriminatorTrainStep(gan, real, fake);
 * for (let i = 0; i < 20; i++) discriminatorTrainStep(gan, real, fake);
 * discriminatorTrainStep(gan, real, fake) < first; // true
 * ```
 */
export function discriminatorTrainStep(gan: GanParts, realData: GanInputs, fakeData: GanInputs): number {
  return tidy(() => {
    gan.dOptimizer.zeroGrad();
    const predictionReal = callOn(gan.discriminator, realData);
    const errorReal = gan.loss(predictionReal, onesLike(predictionReal));
    errorReal.backward();
    const predictionFake = callOn(gan.discriminator, fakeData);
    const errorFake = gan.loss(predictionFake, zerosLike(predictionFake));
    errorFake.backward();
    gan.dOptimizer.step();
    return (errorReal.itemSync() as number) + (errorFake.itemSync() as number);
  });
}

/**
 * The book's `generator_train_step(fake_data)`: zeroes the generator's gradients,
 * back-propagates the loss of the discriminator's predictions on the (not detached) fake data
 * against ones — the generator wants them taken for real — takes one `gOptimizer` step and
 * returns the loss. The discriminator's gradients are accumulated too, as in the book; its
 * `discriminatorTrainStep` zeroes them before they are used.
 *
 * @example
 * ```ts
 * import { Adam, BCELoss, Linear, Sequential, Sigmoid, manualSeed, randn } from 'tensorgrad';
 * import { generatorTrainStep } from './gan-utils.js';
 * manualSeed(0);
 * const discriminator = new Sequential(new Linear(2, 1), new Sigmoid());
 * const generator = new Linear(3, 2);
 * const gan = { discriminator, dOptimizer: new Adam(discriminator.parameters()), gOptimizer: new Adam(generator.parameters(), { lr: 0.05 }), loss: new BCELoss() };
 * const z = randn([16, 3]);
 * const first = generatorTrainStep(gan, generator(z));
 * for (let i = 0; i < 20; i++) generatorTrainStep(gan, generator(z));
 * generatorTrainStep(gan, generator(z)) < first; // true
 * ```
 */
export function generatorTrainStep(gan: GanParts, fakeData: GanInputs): number {
  return tidy(() => {
    gan.gOptimizer.zeroGrad();
    const prediction = callOn(gan.discriminator, fakeData);
    const error = gan.loss(prediction, onesLike(prediction));
    error.backward();
    gan.gOptimizer.step();
    return error.itemSync() as number;
  });
}

/** One epoch's averages in a {@link LossLog}. */
export interface EpochLosses {
  /** 1-based epoch. */
  epoch: number;
  /** The mean of each recorded quantity over the epoch's steps (`dLoss`, `gLoss`, …). */
  means: Record<string, number>;
  /** Steps recorded in the epoch. */
  steps: number;
  /** Wall-clock seconds since the previous epoch ended (or the log was made). */
  seconds: number;
}

/**
 * A per-epoch loss log, the book's torch_snippets `Report`: {@link LossLog.record} the losses of
 * every step, {@link LossLog.endEpoch} averages them (`log.report_avgs(epoch)`), and
 * {@link LossLog.table} prints the history as a Markdown table.
 *
 * @example
 * ```ts
 * import { LossLog } from './gan-utils.js';
 * const log = new LossLog();
 * log.record({ dLoss: 1, gLoss: 4 });
 * log.record({ dLoss: 0.5, gLoss: 2 });
 * log.endEpoch().means; // { dLoss: 0.75, gLoss: 3 }
 * log.record({ dLoss: 0.25, gLoss: 1 });
 * log.endEpoch().epoch; // 2
 * log.history.map((e) => e.means.dLoss); // [0.75, 0.25]
 * log.table().split('\n')[0]; // '| epoch | dLoss | gLoss | seconds |'
 * ```
 */
export class LossLog {
  /** The averages of every finished epoch, in order. */
  readonly history: EpochLosses[] = [];
  private sums: Record<string, number> = {};
  private steps = 0;
  private started = Date.now();

  /** Adds one step's losses to the current epoch; the keys must be the same at every step. */
  record(values: Record<string, number>): void {
    const keys = Object.keys(values);
    const known = Object.keys(this.sums);
    if (this.steps > 0 && (keys.length !== known.length || keys.some((k) => !(k in this.sums)))) {
      throw new RangeError(`LossLog.record: expected the keys ${known.join(', ')} (as at the epoch's first step), got ${keys.join(', ')}`);
    }
    for (const k of keys) {
      const v = values[k]!;
      if (!Number.isFinite(v)) throw new RangeError(`LossLog.record: ${k} is ${v}; the training diverged (lower the learning rate or check the inputs)`);
      this.sums[k] = (this.sums[k] ?? 0) + v;
    }
    this.steps++;
  }

  /** Closes the current epoch: returns (and keeps in {@link LossLog.history}) its averages. */
  endEpoch(): EpochLosses {
    if (this.steps === 0) throw new RangeError('LossLog.endEpoch: no step was recorded in this epoch; call record({ dLoss, gLoss }) after every step');
    const means: Record<string, number> = {};
    for (const [k, s] of Object.entries(this.sums)) means[k] = s / this.steps;
    const now = Date.now();
    const e: EpochLosses = { epoch: this.history.length + 1, means, steps: this.steps, seconds: (now - this.started) / 1000 };
    this.history.push(e);
    this.sums = {};
    this.steps = 0;
    this.started = now;
    return e;
  }

  /** The history as a Markdown table: one row per epoch, one column per quantity, and the seconds. */
  table(digits = 4): string {
    const keys = Object.keys(this.history[0]?.means ?? {});
    return [
      `| epoch | ${keys.join(' | ')} | seconds |`,
      `|------:|${keys.map(() => '------:|').join('')}--------:|`,
      ...this.history.map((e) => `| ${e.epoch} | ${keys.map((k) => e.means[k]!.toFixed(digits)).join(' | ')} | ${e.seconds.toFixed(1)} |`),
    ].join('\n');
  }
}

/** Options of {@link saveEpochGrid}. */
export interface SaveEpochGridOptions {
  /** `[C, H, W]` of one image, for generators that return flat rows `[N, C·H·W]` (default `[1, 28, 28]`). */
  imageShape?: readonly [number, number, number];
  /** Images per grid row (default 8, the book's `make_grid(…, nrow=8)`). */
  nrow?: number;
  /** Pixels between the images (default 2, torchvision's). */
  padding?: number;
  /**
   * How the values become pixels: `'minmax'` (default) stretches the grid's minimum and maximum
   * to black and white (the book's `make_grid(…, normalize=True)`); `'tanh'` maps `[-1, 1]` to
   * `[0, 1]` (`valueRange: [-1, 1]`), which keeps grey levels comparable across epochs.
   */
  scale?: 'minmax' | 'tanh';
  /**
   * The generator's mode while it draws: `'eval'` (default; the book's `generator.eval()` before
   * its samples, so batch norm uses its running statistics) or `'train'` (batch norm normalises
   * with the statistics of the fixed inputs themselves, as PyTorch's DCGAN tutorial samples). In
   * `'train'` mode the running statistics the forward pass updates are put back afterwards, so
   * drawing a grid never changes the generator. Makes no difference to a generator without
   * batch norm or dropout.
   */
  mode?: 'eval' | 'train';
}

/**
 * Draws the generator's images for fixed inputs (the same noise every epoch, so the grids show
 * one set of samples improving) and writes them as a PNG grid (`makeGrid` + `saveImage`) at
 * `path`, creating its folder. Runs under `noGrad`, in eval mode unless `mode: 'train'`, and
 * restores the generator's mode. Pass `[noise, labels]` for a conditional generator.
 *
 * @example
 * ```ts
 * import { Linear, Tanh, Sequential, manualSeed, readImage } from 'tensorgrad';
 * import { mkdtempSync, rmSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { noise, saveEpochGrid } from './gan-utils.js';
 * manualSeed(0);
 * const generator = new Sequential(new Linear(100, 784), new Tanh());
 * const dir = mkdtempSync(join(tmpdir(), 'grid-'));
 * const path = join(dir, 'epoch-1.png');
 * await saveEpochGrid(generator, noise(16), path);
 * (await readImage(path)).shape; // [3, 4 * 30 + 2, 8 * 30 + 2]
 * rmSync(dir, { recursive: true });
 * ```
 */
export async function saveEpochGrid(generator: AnyModule, fixedInputs: GanInputs, path: string, options: SaveEpochGridOptions = {}): Promise<string> {
  const [c, h, w] = options.imageShape ?? [1, 28, 28];
  const mode = options.mode ?? 'eval';
  if (mode !== 'eval' && mode !== 'train') throw new RangeError(`saveEpochGrid: expected mode 'eval' or 'train', got ${String(mode)}`);
  const wasTraining = generator.training;
  // a forward pass in training mode moves batch norm's running statistics: keep copies to restore
  const saved = mode === 'train' ? tidy(() => Object.fromEntries(generator.namedBuffers().map(([k, b]) => [k, keep(b.clone())]))) : null;
  generator.train(mode === 'train');
  try {
    const images = tidy(() => {
      const out = noGrad(() => callOn(generator, fixedInputs));
      if (out.ndim === 2) {
        if (out.shape[1] !== c * h * w) {
          throw new RangeError(`saveEpochGrid: the generator returned rows of ${out.shape[1]} values, expected ${c}·${h}·${w} = ${c * h * w} for imageShape [${c}, ${h}, ${w}]; pass the right { imageShape }`);
        }
        return keep(out.reshape([-1, c, h, w]));
      }
      if (out.ndim !== 4) throw new RangeError(`saveEpochGrid: expected the generator to return images [N, C, H, W] or rows [N, C·H·W], got [${out.shape.join(', ')}]`);
      return keep(out);
    });
    mkdirSync(dirname(path), { recursive: true });
    const scale = options.scale ?? 'minmax';
    await saveImage(images, path, {
      nrow: options.nrow ?? 8,
      padding: options.padding ?? 2,
      normalize: true,
      ...(scale === 'tanh' ? { valueRange: [-1, 1] as [number, number] } : {}),
    });
    images.dispose();
    return path;
  } finally {
    generator.train(wasTraining);
    if (saved) {
      generator.loadStateDict(saved, { strict: false });
      for (const t of Object.values(saved)) t.dispose();
    }
  }
}

/** Options of {@link loadFashionMnistGanData}. */
export interface GanDataOptions {
  /** The training split (default) or the test split. */
  train?: boolean;
  /** Use the first `limit` images only (default all). */
  limit?: number;
  /** A folder with the IDX files (default: Debian's /usr/share/datasets/fashion-mnist, or TENSORGRAD_DATA). */
  root?: string;
}

/** Fashion-MNIST held as two tensors, ready for GAN training. */
export interface GanData {
  /** float32 `[N, 1, 28, 28]`: the book's `ToTensor()` then `Normalize(mean=(0.5,), std=(0.5,))`, values in `[-1, 1]`. */
  images: Tensor;
  /** int32 `[N]`: the classes 0–9. */
  labels: Tensor;
}

/**
 * Fashion-MNIST as the book's GAN notebooks feed MNIST: pixels scaled to `[0, 1]` and normalised
 * with mean 0.5 and standard deviation 0.5 (so `[-1, 1]`, the range of the generators' `Tanh`),
 * with the labels; the tensors are kept (dispose them when done).
 *
 * @example
 * ```ts
 * import { loadFashionMnistGanData } from './gan-utils.js';
 * typeof loadFashionMnistGanData; // 'function'
 * // const { images, labels } = await loadFashionMnistGanData({ limit: 1000 }); images.shape: [1000, 1, 28, 28]
 * ```
 */
export async function loadFashionMnistGanData(options: GanDataOptions = {}): Promise<GanData> {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new RangeError(`loadFashionMnistGanData: expected limit to be a positive integer, got ${limit}`);
  const set = await FashionMNIST.load({ train: options.train ?? true, ...(options.root !== undefined ? { root: options.root } : {}) });
  try {
    const n = Math.min(limit ?? set.data.shape[0]!, set.data.shape[0]!);
    const raw = set.data.dataSync();
    const pixels = new Float32Array(n * 784);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (raw[i]! / 255 - 0.5) / 0.5;
    const labels = Int32Array.from(set.targets.dataSync().subarray(0, n));
    return { images: fromTypedArray(pixels, [n, 1, 28, 28]), labels: fromTypedArray(labels, [n]) };
  } finally {
    set.dispose();
  }
}
