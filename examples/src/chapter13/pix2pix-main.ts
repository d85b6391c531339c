/**
 * The book's chapter 13 pix2pix program on Fashion-MNIST edge→garment pairs: prints the models'
 * `summary(...)` and parameter counts (also at the book's 256×256 RGB size), trains with the book's
 * losses and optimizer, prints the losses per epoch and the generator's held-out L1, and writes a
 * grid of held-out samples (rows: edges | generated | garment):
 *
 *     node examples/dist/chapter13/pix2pix-main.js [--epochs N] [--limit N] [--test-limit N]
 *         [--size N] [--num-downs N] [--ngf N] [--ndf N] [--batch-size N] [--lr X] [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch13:pix2pix` does the same after a build.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Adam, FashionMNIST, manualSeed, noGrad, saveImage, summary, tidy, type AnyModule, type Tensor } from 'tensorgrad';
import { isMain } from '../run-main.js';
import { Discriminator, edgePairs, GeneratorUNet, generatorL1, pix2pixTrainStep, rows, type EdgePairs, type Pix2PixLosses } from './pix2pix.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/chapter13/pix2pix-main.js [options]

--epochs N       training epochs (default 3)
--limit N        training pairs from the first Fashion-MNIST training images (default 1500)
--test-limit N   held-out pairs from the Fashion-MNIST test images (default 200)
--size N         image size, Fashion-MNIST's 28×28 zero-padded (default 32)
--num-downs N    U-Net levels (default 5 for 32×32; the book's 256×256 model has 8)
--ngf N          filters of the generator's first block (default 16; the book's 64)
--ndf N          filters of the discriminator's first block (default 16; the book's 64)
--batch-size N   pairs per step (default 16)
--lr X           Adam's learning rate (default 0.0002, the book's)
--seed N         seed of the initialisation and the batch order (default 0)
--out DIR        where the grid goes (default examples/.generated/chapter13/)`;

/** Options of {@link runPix2Pix}. */
export interface Pix2PixRunOptions {
  /** Epochs (default 3). */
  epochs?: number;
  /** Training pairs (the run frees them when it ends), or how many to build from the Fashion-MNIST training images (default 1500). */
  train?: EdgePairs | number;
  /** Held-out pairs (freed when the run ends), or how many to build from the Fashion-MNIST test images (default 200). */
  test?: EdgePairs | number;
  /** Image size (default 32). */
  size?: number;
  /** U-Net levels (default 5). */
  numDowns?: number;
  /** Generator filters (default 16). */
  ngf?: number;
  /** Discriminator filters (default 16). */
  ndf?: number;
  /** Batch size (default 16). */
  batchSize?: number;
  /** Adam's learning rate (default 2e-4). */
  lr?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Folder of the grid (none written when absent). */
  out?: string;
  /** Print `summary(...)` of the models and their counts at the book's size (default false). */
  printSummaries?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Per-epoch figures of {@link runPix2Pix}. */
export interface Pix2PixEpoch extends Pix2PixLosses {
  /** 1-based epoch. */
  epoch: number;
  /** The generator's mean absolute error to the held-out garments after the epoch ([-1, 1] scale). */
  testL1: number;
  /** Seconds of the epoch. */
  seconds: number;
}

/** What {@link runPix2Pix} measured. */
export interface Pix2PixResult {
  /** Parameters of the generator and the discriminator as trained. */
  parameters: { generator: number; discriminator: number };
  /** Every step's losses. */
  steps: Pix2PixLosses[];
  /** Per-epoch means. */
  history: Pix2PixEpoch[];
  /** The held-out L1 before training. */
  initialTestL1: number;
  /** Paths written. */
  pictures: string[];
  /** Seconds in all. */
  seconds: number;
}

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);

async function pairsOf(given: EdgePairs | number | undefined, fallback: number, train: boolean, size: number): Promise<EdgePairs> {
  if (typeof given === 'object') return given;
  const ds = await FashionMNIST.load({ train });
  try {
    const n = Math.min(given ?? fallback, ds.length);
    return tidy(() => edgePairs(ds.data.narrow(0, 0, n), size));
  } finally {
    ds.dispose();
  }
}

/**
 * Trains the book's pix2pix on Fashion-MNIST edge→garment pairs ({@link edgePairs}) and writes
 * `pix2pix.png` (held-out rows: edges | generated | garment) in `out`.
 *
 * @example
 * ```ts
 * import { rand } from 'tensorgrad';
 * import { runPix2Pix } from './pix2pix-main.js';
 * const pairs = () => ({ edges: rand([4, 1, 32, 32]).mul(2).sub(1), garments: rand([4, 1, 32, 32]).mul(2).sub(1) });
 * const r = await runPix2Pix({ train: pairs(), test: pairs(), numDowns: 4, ngf: 4, ndf: 4, epochs: 1, batchSize: 2 });
 * [r.steps.length, r.history.length]; // [2, 1]
 * ```
 */
export async function runPix2Pix(options: Pix2PixRunOptions = {}): Promise<Pix2PixResult> {
  const started = Date.now();
  const size = options.size ?? 32;
  const train = await pairsOf(options.train, 1500, true, size);
  const test = await pairsOf(options.test, 200, false, size);
  const seed = options.seed ?? 0;
  manualSeed(seed);
  const channels = train.edges.shape[1]!;
  const generator = new GeneratorUNet({ inChannels: channels, outChannels: channels, numDowns: options.numDowns ?? 5, ngf: options.ngf ?? 16 });
  const discriminator = new Discriminator({ inChannels: channels, ndf: options.ndf ?? 16 });
  const adam = { lr: options.lr ?? 2e-4, betas: [0.5, 0.999] as [number, number] };
  const m = { generator, discriminator, optimizerG: new Adam(generator.parameters(), adam), optimizerD: new Adam(discriminator.parameters(), adam) };
  const log = options.log ?? (() => {});
  const s = train.edges.shape[2]!;
  if (options.printSummaries) {
    log(`GeneratorUNet(inChannels ${channels}, numDowns ${generator.numDowns}, ngf ${options.ngf ?? 16}) at ${s}×${s}:`);
    log(summary(generator, [channels, s, s]).text);
    log(`Discriminator(inChannels ${channels}, ndf ${options.ndf ?? 16}) at ${s}×${s}:`);
    log(summary(discriminator, [[channels, s, s], [channels, s, s]]).text);
    const bookG = new GeneratorUNet();
    const bookD = new Discriminator();
    log(`the book's models (3 channels, 256×256): GeneratorUNet ${count(bookG).toLocaleString('en-US')} parameters, Discriminator ${count(bookD).toLocaleString('en-US')} parameters`);
    bookG.dispose();
    bookD.dispose();
  }
  const n = train.edges.shape[0]!;
  const batchSize = options.batchSize ?? 16;
  const epochs = options.epochs ?? 3;
  const steps: Pix2PixLosses[] = [];
  const history: Pix2PixEpoch[] = [];
  let rng = seed + 1;
  const random = (): number => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng / 4294967296;
  };
  try {
    const initialTestL1 = generatorL1(generator, test.edges, test.garments);
    log(`held-out L1 before training: ${initialTestL1.toFixed(4)}`);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const t0 = Date.now();
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const before = steps.length;
      for (let i = 0; i < n; i += batchSize) {
        const idx = order.slice(i, i + batchSize);
        steps.push(tidy(() => pix2pixTrainStep(m, rows(train.edges, idx), rows(train.garments, idx))));
      }
      const these = steps.slice(before);
      const mean = (k: keyof Pix2PixLosses): number => these.reduce((a, l) => a + l[k], 0) / these.length;
      const e: Pix2PixEpoch = { epoch, lossD: mean('lossD'), lossG: mean('lossG'), lossGAN: mean('lossGAN'), lossPixel: mean('lossPixel'), testL1: generatorL1(generator, test.edges, test.garments), seconds: (Date.now() - t0) / 1000 };
      history.push(e);
      log(`epoch ${epoch}/${epochs}: loss_D ${e.lossD.toFixed(4)}, loss_G ${e.lossG.toFixed(4)} (GAN ${e.lossGAN.toFixed(4)}, pixel ${e.lossPixel.toFixed(4)}), held-out L1 ${e.testL1.toFixed(4)} (${e.seconds.toFixed(0)} s)`);
    }
    const pictures: string[] = [];
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      const k = Math.min(8, test.edges.shape[0]!);
      const tiles = tidy(() => {
        generator.eval();
        const src = test.edges.narrow(0, 0, k);
        const fake = noGrad(() => generator(src));
        const t: Tensor[] = [];
        for (let i = 0; i < k; i++) for (const x of [src, fake, test.garments]) t.push(x.select(0, i).add(1).div(2).clamp(0, 1));
        return t;
      });
      const path = join(options.out, 'pix2pix.png');
      await saveImage(tiles, path, { nrow: 3, padding: 2 });
      for (const t of tiles) t.dispose();
      pictures.push(path);
    }
    return { parameters: { generator: count(generator), discriminator: count(discriminator) }, steps, history, initialTestL1, pictures, seconds: (Date.now() - started) / 1000 };
  } finally {
    m.optimizerG.dispose();
    m.optimizerD.dispose();
    generator.dispose();
    discriminator.dispose();
    for (const t of [train.edges, train.garments, test.edges, test.garments]) t.dispose();
  }
}

/**
 * Parses the command line (node:util's `parseArgs`) into {@link runPix2Pix}'s options (`null` for
 * `--help`); throws a `RangeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parsePix2PixArgs } from './pix2pix-main.js';
 * parsePix2PixArgs(['--epochs', '2', '--limit', '100', '--lr', '0.001']); // { epochs: 2, train: 100, lr: 0.001 }
 * parsePix2PixArgs(['--help']); // null
 * ```
 */
export function parsePix2PixArgs(argv: readonly string[]): Pix2PixRunOptions | null {
  const ints = { epochs: 'epochs', limit: 'train', 'test-limit': 'test', size: 'size', 'num-downs': 'numDowns', ngf: 'ngf', ndf: 'ndf', 'batch-size': 'batchSize', seed: 'seed' } as const;
  const { values } = parseCommandLine(argv, [...Object.keys(ints), 'lr', 'out']);
  if (values.help) return null;
  const o: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(ints)) {
    const v = values[flag];
    if (typeof v !== 'string') continue;
    const x = Number(v);
    if (!Number.isInteger(x) || x < (flag === 'seed' ? 0 : 1)) throw new RangeError(`--${flag}: expected a ${flag === 'seed' ? 'non-negative' : 'positive'} integer, got ${v}\n${USAGE}`);
    o[key] = x;
  }
  if (typeof values.lr === 'string') {
    const x = Number(values.lr);
    if (!(x > 0)) throw new RangeError(`--lr: expected a positive number, got ${values.lr}\n${USAGE}`);
    o.lr = x;
  }
  if (typeof values.out === 'string') o.out = values.out;
  return o as Pix2PixRunOptions;
}

/**
 * node:util's `parseArgs` with string options `names` and `--help`, its errors rethrown as
 * `RangeError`s that end with the usage text.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from './pix2pix-main.js';
 * parseCommandLine(['--epochs', '2'], ['epochs']).values.epochs; // '2'
 * ```
 */
export function parseCommandLine(argv: readonly string[], names: readonly string[], usage = USAGE): { values: Record<string, string | boolean | undefined> } {
  try {
    const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
    for (const n of names) options[n] = { type: 'string' };
    const { values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    return { values: values as Record<string, string | boolean | undefined> };
  } catch (e) {
    throw new RangeError(`${(e as Error).message}\n${usage}`);
  }
}

if (isMain(import.meta.url)) {
  const options = parsePix2PixArgs(process.argv.slice(2));
  if (options === null) {
    console.log(USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter13');
    const r = await runPix2Pix({ ...options, printSummaries: true, log: (line) => console.log(line) });
    console.log(`GeneratorUNet ${r.parameters.generator.toLocaleString('en-US')} parameters, Discriminator ${r.parameters.discriminator.toLocaleString('en-US')} parameters; ${r.steps.length} steps in ${r.seconds.toFixed(0)} s; held-out L1 ${r.initialTestL1.toFixed(4)} → ${r.history.at(-1)?.testL1.toFixed(4)}`);
    console.log(`grid: ${r.pictures.join(', ')}`);
  }
}
