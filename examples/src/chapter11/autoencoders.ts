/**
 * The book's chapter 11 autoencoder experiments on Fashion-MNIST (the book uses MNIST digits):
 * the dense {@link AutoEncoder} trained once per latent size (the notebook's
 * `aecs = [train_aec(dim) for dim in [50, 2, 3, 5, 10]]`), whose validation losses show how much
 * a bigger code keeps, and the {@link ConvAutoEncoder}; each model's `summary` is printed and the
 * reconstructions of a few validation images are drawn side by side.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cat, keep, noGrad, saveImage, summary, tidy, type AnyModule, type Tensor } from 'tensorgrad';
import { loadFashionImages, type ImageSet } from './data.js';
import { AutoEncoder, ConvAutoEncoder } from './models.js';
import { seeded, trainAutoEncoder, type AutoEncoderEpoch } from './train.js';

/** The latent sizes of the book's sweep. */
export const BOOK_LATENT_SIZES: readonly number[] = [2, 3, 5, 10, 50];

/** Options of {@link runAutoEncoders}. */
export interface AutoEncodersOptions {
  /** Training images, or how many of the Fashion-MNIST training images to use (default 12000). */
  train?: ImageSet | number;
  /** Validation images, or how many of the 10,000 test images (default 10000, the book's validation set). */
  val?: ImageSet | number;
  /** Latent sizes to train (default {@link BOOK_LATENT_SIZES}). */
  latents?: readonly number[];
  /** Epochs of each model (default 5, the book's). */
  epochs?: number;
  /** Train the convolutional autoencoder too (default true). */
  conv?: boolean;
  /** Seed of the initialisations and batch orders (default 0). */
  seed?: number;
  /** Folder for the pictures (none written when absent). */
  out?: string;
  /** Validation images drawn in the pictures (default 8). */
  pictures?: number;
  /** Progress lines and the models' summaries. */
  log?: (line: string) => void;
}

/** One trained model of {@link runAutoEncoders}. */
export interface AutoEncoderRun {
  /** `AutoEncoder(2)`, …, or `ConvAutoEncoder`. */
  name: string;
  /** The latent size (`null` for the convolutional autoencoder, whose code is `[64, 2, 2]`). */
  latentDim: number | null;
  /** Parameters of the model. */
  parameters: number;
  /** Per-epoch training and validation losses. */
  epochs: AutoEncoderEpoch[];
  /** The final validation loss (MSE on [-1, 1] images). */
  valLoss: number;
  /** Training seconds. */
  seconds: number;
}

/** What {@link runAutoEncoders} measured. */
export interface AutoEncodersResult {
  /** Training images. */
  trainSize: number;
  /** Validation images. */
  valSize: number;
  /** One entry per latent size, then the convolutional autoencoder. */
  runs: AutoEncoderRun[];
  /** Paths of the pictures written. */
  pictures: string[];
  /** Wall-clock seconds in all. */
  seconds: number;
}

async function imagesOf(given: ImageSet | number | undefined, fallback: number, train: boolean): Promise<{ set: ImageSet; owned: boolean }> {
  if (typeof given === 'object') return { set: given, owned: false };
  return { set: await loadFashionImages({ train, limit: given ?? fallback }), owned: true };
}

/**
 * Trains the dense autoencoder for each latent size and the convolutional autoencoder with the
 * book's recipe (`MSELoss`, `AdamW(lr=1e-3, weight_decay=1e-5)`, batch 256 for the dense and 128
 * for the convolutional model), logs each model's `summary(model, [1, 28, 28])`, and returns the
 * validation loss per model; with `out`, draws `reconstructions.png`: the first `pictures`
 * validation images (top row) and each model's reconstructions (one row per model, in order).
 *
 * @example
 * ```ts
 * import { imageSet } from './data.js';
 * import { runAutoEncoders } from './autoencoders.js';
 * const data = imageSet(Float32Array.from({ length: 8 * 784 }, (_, i) => Math.cos(i)), new Int32Array(8));
 * const r = await runAutoEncoders({ train: data, val: data, latents: [2], epochs: 1, conv: false });
 * [r.runs.length, r.runs[0]!.parameters]; // [1, 218514]
 * ```
 */
export async function runAutoEncoders(options: AutoEncodersOptions = {}): Promise<AutoEncodersResult> {
  const started = Date.now();
  const latents = options.latents ?? BOOK_LATENT_SIZES;
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 5;
  const log = options.log ?? (() => {});
  for (const l of latents) {
    if (!Number.isInteger(l) || l < 1) throw new RangeError(`runAutoEncoders: expected positive integer latent sizes, got ${String(l)}; the book's are ${BOOK_LATENT_SIZES.join(', ')}`);
  }
  const train = await imagesOf(options.train, 12000, true);
  const val = await imagesOf(options.val, 10000, false);
  const runs: AutoEncoderRun[] = [];
  const models: AnyModule[] = [];
  try {
    const specs: { name: string; latentDim: number | null; build: () => AnyModule; batchSize: number }[] = latents.map((l) => ({
      name: `AutoEncoder(${l})`,
      latentDim: l,
      build: () => new AutoEncoder(l),
      batchSize: 256,
    }));
    if (options.conv ?? true) specs.push({ name: 'ConvAutoEncoder', latentDim: null, build: () => new ConvAutoEncoder(), batchSize: 128 });
    for (const spec of specs) {
      const model = seeded(seed, spec.build);
      models.push(model);
      const s = summary(model, [1, 28, 28]);
      log(`\n${spec.name}: ${s.totalParams.toLocaleString('en-US')} parameters\n${s.text}`);
      const t0 = Date.now();
      const h = trainAutoEncoder(model, train.set, val.set, { epochs, batchSize: spec.batchSize, seed, log });
      runs.push({ name: spec.name, latentDim: spec.latentDim, parameters: s.totalParams, epochs: h.epochs, valLoss: h.valLoss, seconds: (Date.now() - t0) / 1000 });
    }
    const pictures: string[] = [];
    if (options.out && models.length) pictures.push(await drawReconstructions(models, val.set, options.pictures ?? 8, join(options.out, 'reconstructions.png')));
    return { trainSize: train.set.images.shape[0]!, valSize: val.set.images.shape[0]!, runs, pictures, seconds: (Date.now() - started) / 1000 };
  } finally {
    for (const m of models) m.dispose();
    for (const d of [train, val]) {
      if (d.owned) {
        d.set.images.dispose();
        d.set.labels.dispose();
      }
    }
  }
}

/**
 * Writes a grid of the first `count` images of `data` (top row) and each model's reconstruction
 * of them (a row per model), mapping [-1, 1] to black…white; returns the path.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { Identity } from 'tensorgrad';
 * import { imageSet } from './data.js';
 * import { drawReconstructions } from './autoencoders.js';
 * const path = join(mkdtempSync(join(tmpdir(), 'ch11-')), 'r.png');
 * (await drawReconstructions([new Identity()], imageSet(new Float32Array(3 * 784), new Int32Array(3)), 3, path)).endsWith('r.png'); // true
 * ```
 */
export async function drawReconstructions(models: readonly AnyModule[], data: ImageSet, count: number, path: string): Promise<string> {
  const k = Math.min(count, data.images.shape[0]!);
  mkdirSync(join(path, '..'), { recursive: true });
  const grid = tidy(() =>
    noGrad(() => {
      const x = data.images.narrow(0, 0, k);
      const rows = [x, ...models.map((m) => (m.eval(), (m.call(x) as Tensor).reshape([k, 1, 28, 28])))];
      return keep(cat(rows, 0).add(1).div(2).clamp(0, 1));
    }),
  );
  try {
    await saveImage(grid, path, { nrow: k, padding: 2 });
  } finally {
    grid.dispose();
  }
  return path;
}

/**
 * The result as text: a table of parameters and the final training and validation losses per
 * model, the way the guide shows it.
 *
 * @example
 * ```ts
 * import { formatAutoEncoders } from './autoencoders.js';
 * const text = formatAutoEncoders({ trainSize: 10, valSize: 5, pictures: [], seconds: 1,
 *   runs: [{ name: 'AutoEncoder(2)', latentDim: 2, parameters: 218514, valLoss: 0.2, seconds: 1, epochs: [{ epoch: 1, trainLoss: 0.3, valLoss: 0.2, seconds: 1 }] }] });
 * text.includes('| AutoEncoder(2) | 2 | 218,514 | 0.3000 | 0.2000 |'); // true
 * ```
 */
export function formatAutoEncoders(r: AutoEncodersResult): string {
  const lines = [
    `${r.trainSize} training images, ${r.valSize} validation images, ${r.runs[0]?.epochs.length ?? 0} epochs each, ${r.seconds.toFixed(0)} s`,
    '',
    '| model | latent size | parameters | train loss | validation loss | seconds |',
    '|-------|------------:|-----------:|-----------:|----------------:|--------:|',
    ...r.runs.map((m) => {
      const last = m.epochs[m.epochs.length - 1]!;
      return `| ${m.name} | ${m.latentDim ?? '64×2×2 = 256'} | ${m.parameters.toLocaleString('en-US')} | ${last.trainLoss.toFixed(4)} | ${m.valLoss.toFixed(4)} | ${m.seconds.toFixed(0)} |`;
    }),
  ];
  if (r.pictures.length) lines.push('', `pictures: ${r.pictures.join(', ')}`);
  return lines.join('\n');
}
