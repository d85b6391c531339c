/**
 * The book's chapter 13 CycleGAN program on two Fashion-MNIST classes (unpaired): prints the
 * models' `summary(...)` and parameter counts (also at the book's 256×256 RGB size), trains with
 * the book's losses and optimizers, prints the losses per epoch, and writes a grid of held-out
 * samples in the notebook's layout (rows: real A | fake B | real B | fake A):
 *
 *     node examples/dist/chapter13/cyclegan-main.js [--epochs N] [--limit N] [--test-limit N]
 *         [--class-a N] [--class-b N] [--residual-blocks N] [--ngf N] [--ndf N] [--batch-size N]
 *         [--lr X] [--no-pool] [--seed N] [--out DIR]
 *
 * `pnpm --filter @tensorgrad/examples ch13:cyclegan` does the same after a build.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FashionMNIST, fromTypedArray, keep, manualSeed, noGrad, pad, saveImage, summary, tidy, type AnyModule, type Tensor } from 'tensorgrad';
import { isMain } from '../run-main.js';
import { createCycleGAN, cycleGANTrainStep, Discriminator, disposeCycleGAN, GeneratorResNet, type CycleGANLosses } from './cyclegan.js';
import { parseCommandLine } from './pix2pix-main.js';
import { rows } from './pix2pix.js';

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/chapter13/cyclegan-main.js [options]

--epochs N            training epochs (default 2)
--limit N             training images per domain from the Fashion-MNIST training images (default 400)
--test-limit N        held-out images per domain for the grid (default 5)
--class-a N           Fashion-MNIST class of domain A (default 7, Sneaker)
--class-b N           Fashion-MNIST class of domain B (default 9, Ankle boot)
--residual-blocks N   residual blocks of each generator (default 3; the book's 9)
--ngf N               filters of the generators' first convolution (default 8; the book's 64)
--ndf N               filters of the discriminators' first block (default 8; the book's 64)
--batch-size N        images per domain per step (default 1, the book's)
--lr X                Adam's learning rate (default 0.0002, the book's)
--no-pool             feed the discriminators the newest fakes (the notebook) instead of the reference's 50-image pool
--seed N              seed of the initialisation, the pairing and the pool (default 0)
--out DIR             where the grid goes (default examples/.generated/chapter13/)`;

/** Options of {@link runCycleGAN}. */
export interface CycleGANRunOptions {
  /** Epochs (default 2). */
  epochs?: number;
  /** Training images of domains A and B `[N, 1, S, S]` in [-1, 1] (the run frees them when it ends), or how many per domain to take from Fashion-MNIST (default 400). */
  train?: { a: Tensor; b: Tensor } | number;
  /** Held-out images of both domains (freed when the run ends), or how many per domain (default 5). */
  test?: { a: Tensor; b: Tensor } | number;
  /** Class of domain A (default 7, Sneaker). */
  classA?: number;
  /** Class of domain B (default 9, Ankle boot). */
  classB?: number;
  /** Residual blocks (default 3). */
  numResidualBlocks?: number;
  /** Generator filters (default 8). */
  ngf?: number;
  /** Discriminator filters (default 8). */
  ndf?: number;
  /** Batch size (default 1). */
  batchSize?: number;
  /** Adam's learning rate (default 2e-4). */
  lr?: number;
  /** Use the image pools (default true). */
  pool?: boolean;
  /** Seed (default 0). */
  seed?: number;
  /** Folder of the grid. */
  out?: string;
  /** Print `summary(...)` and the counts at the book's size (default false). */
  printSummaries?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Per-epoch means of {@link runCycleGAN}. */
export interface CycleGANEpoch extends CycleGANLosses {
  /** 1-based epoch. */
  epoch: number;
  /** Seconds. */
  seconds: number;
}

/** What {@link runCycleGAN} measured. */
export interface CycleGANResult {
  /** Parameters of one generator and one discriminator as trained. */
  parameters: { generator: number; discriminator: number };
  /** Every step's losses. */
  steps: CycleGANLosses[];
  /** Per-epoch means. */
  history: CycleGANEpoch[];
  /** Paths written. */
  pictures: string[];
  /** Seconds in all. */
  seconds: number;
}

const count = (m: AnyModule): number => m.parameters().reduce((n, p) => n + p.numel(), 0);

/**
 * The first `limit` Fashion-MNIST images of `label` (from `data` `[N, 28, 28]` uint8 values and
 * `targets`), zero-padded to 32×32 and mapped to [-1, 1]: `[n, 1, 32, 32]`, kept.
 *
 * @example
 * ```ts
 * import { tensor, zeros } from 'tensorgrad';
 * import { garmentsOf } from './cyclegan-main.js';
 * const g = garmentsOf(zeros([3, 28, 28], { dtype: 'int32' }), tensor([7, 9, 7], { dtype: 'int32' }), 7, 5);
 * [g.shape, g.max().itemSync()]; // [[2, 1, 32, 32], -1]
 * g.dispose();
 * ```
 */
export function garmentsOf(data: Tensor, targets: Tensor, label: number, limit: number): Tensor {
  const t = targets.dataSync();
  const idx: number[] = [];
  for (let i = 0; i < t.length && idx.length < limit; i++) if (t[i] === label) idx.push(i);
  if (idx.length === 0) throw new RangeError(`garmentsOf: no image of class ${label} (expected a Fashion-MNIST class 0–9)`);
  return tidy(() => keep(pad(data.indexSelect(0, fromTypedArray(Int32Array.from(idx), [idx.length])).float().div(127.5).sub(1).unsqueeze(1), [2, 2, 2, 2], { value: -1 })));
}

async function domainsOf(given: { a: Tensor; b: Tensor } | number | undefined, fallback: number, train: boolean, classA: number, classB: number): Promise<{ a: Tensor; b: Tensor }> {
  if (typeof given === 'object') return given;
  const ds = await FashionMNIST.load({ train });
  try {
    const n = given ?? fallback;
    return { a: garmentsOf(ds.data, ds.targets, classA, n), b: garmentsOf(ds.data, ds.targets, classB, n) };
  } finally {
    ds.dispose();
  }
}

/**
 * Trains the book's CycleGAN between two Fashion-MNIST classes (unpaired, as the notebook's
 * `CycleGANDataset`: image `i` of A with a random image of B, `max(|A|, |B|)` pairs an epoch) and
 * writes `cyclegan.png` in `out` (rows: real A | fake B | real B | fake A).
 *
 * @example
 * ```ts
 * import { rand } from 'tensorgrad';
 * import { runCycleGAN } from './cyclegan-main.js';
 * const r = await runCycleGAN({ train: { a: rand([2, 1, 32, 32]), b: rand([3, 1, 32, 32]) }, test: { a: rand([1, 1, 32, 32]), b: rand([1, 1, 32, 32]) },
 *   numResidualBlocks: 1, ngf: 2, ndf: 2, epochs: 1, batchSize: 2 });
 * [r.steps.length, r.history.length]; // [2, 1]
 * ```
 */
export async function runCycleGAN(options: CycleGANRunOptions = {}): Promise<CycleGANResult> {
  const started = Date.now();
  const classA = options.classA ?? 7;
  const classB = options.classB ?? 9;
  const train = await domainsOf(options.train, 400, true, classA, classB);
  const test = await domainsOf(options.test, 5, false, classA, classB);
  const seed = options.seed ?? 0;
  manualSeed(seed);
  let rng = seed + 1;
  const random = (): number => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return rng / 4294967296;
  };
  const channels = train.a.shape[1]!;
  const generator = { numResidualBlocks: options.numResidualBlocks ?? 3, channels, ngf: options.ngf ?? 8 };
  const discriminator = { channels, ndf: options.ndf ?? 8 };
  const m = createCycleGAN({ generator, discriminator, lr: options.lr ?? 2e-4, pool: options.pool ?? true, random });
  const log = options.log ?? (() => {});
  const s = train.a.shape[2]!;
  if (options.printSummaries) {
    log(`GeneratorResNet(numResidualBlocks ${generator.numResidualBlocks}, channels ${channels}, ngf ${generator.ngf}) at ${s}×${s} (G_AB and G_BA):`);
    log(summary(m.G_AB, [channels, s, s]).text);
    log(`Discriminator(channels ${channels}, ndf ${discriminator.ndf}) at ${s}×${s} (D_A and D_B):`);
    log(summary(m.D_A, [channels, s, s]).text);
    const bookG = new GeneratorResNet();
    const bookD = new Discriminator();
    log(`the book's models (3 channels, 256×256): GeneratorResNet ${count(bookG).toLocaleString('en-US')} parameters, Discriminator ${count(bookD).toLocaleString('en-US')} parameters`);
    bookG.dispose();
    bookD.dispose();
  }
  const nA = train.a.shape[0]!;
  const nB = train.b.shape[0]!;
  const n = Math.max(nA, nB);
  const batchSize = options.batchSize ?? 1;
  const epochs = options.epochs ?? 2;
  const steps: CycleGANLosses[] = [];
  const history: CycleGANEpoch[] = [];
  try {
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
        const a = idx.map((k) => k % nA);
        const b = idx.map(() => Math.floor(random() * nB));
        steps.push(tidy(() => cycleGANTrainStep(m, rows(train.a, a), rows(train.b, b))));
      }
      const these = steps.slice(before);
      const mean = (k: keyof CycleGANLosses): number => these.reduce((acc, l) => acc + l[k], 0) / these.length;
      const e: CycleGANEpoch = { epoch, lossD: mean('lossD'), lossG: mean('lossG'), lossGAN: mean('lossGAN'), lossCycle: mean('lossCycle'), lossIdentity: mean('lossIdentity'), seconds: (Date.now() - t0) / 1000 };
      history.push(e);
      log(`epoch ${epoch}/${epochs}: loss_D ${e.lossD.toFixed(3)}, loss_G ${e.lossG.toFixed(3)}, loss_GAN ${e.lossGAN.toFixed(3)}, loss_cycle ${e.lossCycle.toFixed(3)}, loss_identity ${e.lossIdentity.toFixed(3)} (${e.seconds.toFixed(0)} s)`);
    }
    const pictures: string[] = [];
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      const k = Math.min(5, test.a.shape[0]!, test.b.shape[0]!);
      const tiles = tidy(() => {
        m.G_AB.eval();
        m.G_BA.eval();
        const realA = test.a.narrow(0, 0, k);
        const realB = test.b.narrow(0, 0, k);
        const [fakeB, fakeA] = noGrad(() => [m.G_AB(realA), m.G_BA(realB)]);
        const t: Tensor[] = [];
        for (const x of [realA, fakeB!, realB, fakeA!]) for (let i = 0; i < k; i++) t.push(x.select(0, i).add(1).div(2).clamp(0, 1));
        return t;
      });
      const path = join(options.out, 'cyclegan.png');
      await saveImage(tiles, path, { nrow: k, padding: 2 });
      for (const t of tiles) t.dispose();
      pictures.push(path);
    }
    return { parameters: { generator: count(m.G_AB), discriminator: count(m.D_A) }, steps, history, pictures, seconds: (Date.now() - started) / 1000 };
  } finally {
    disposeCycleGAN(m);
    for (const t of [train.a, train.b, test.a, test.b]) t.dispose();
  }
}

/**
 * Parses the command line (node:util's `parseArgs`) into {@link runCycleGAN}'s options (`null` for
 * `--help`); throws a `RangeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseCycleGANArgs } from './cyclegan-main.js';
 * parseCycleGANArgs(['--epochs', '1', '--class-a', '0', '--no-pool']); // { epochs: 1, classA: 0, pool: false }
 * ```
 */
export function parseCycleGANArgs(argv: readonly string[]): CycleGANRunOptions | null {
  const ints = {
    epochs: 'epochs',
    limit: 'train',
    'test-limit': 'test',
    'class-a': 'classA',
    'class-b': 'classB',
    'residual-blocks': 'numResidualBlocks',
    ngf: 'ngf',
    ndf: 'ndf',
    'batch-size': 'batchSize',
    seed: 'seed',
  } as const;
  const rest = argv.filter((a) => a !== '--no-pool');
  const { values } = parseCommandLine(rest, [...Object.keys(ints), 'lr', 'out'], USAGE);
  if (values.help) return null;
  const o: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(ints)) {
    const v = values[flag];
    if (typeof v !== 'string') continue;
    const x = Number(v);
    const min = flag === 'seed' || flag.startsWith('class') || flag === 'residual-blocks' ? 0 : 1;
    if (!Number.isInteger(x) || x < min || (flag.startsWith('class') && x > 9)) {
      throw new RangeError(`--${flag}: expected ${flag.startsWith('class') ? 'a Fashion-MNIST class 0–9' : min === 0 ? 'a non-negative integer' : 'a positive integer'}, got ${v}\n${USAGE}`);
    }
    o[key] = x;
  }
  if (typeof values.lr === 'string') {
    const x = Number(values.lr);
    if (!(x > 0)) throw new RangeError(`--lr: expected a positive number, got ${values.lr}\n${USAGE}`);
    o.lr = x;
  }
  if (typeof values.out === 'string') o.out = values.out;
  if (rest.length !== argv.length) o.pool = false;
  return o as CycleGANRunOptions;
}

if (isMain(import.meta.url)) {
  const options = parseCycleGANArgs(process.argv.slice(2));
  if (options === null) {
    console.log(USAGE);
  } else {
    options.out ??= join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter13');
    const r = await runCycleGAN({ ...options, printSummaries: true, log: (line) => console.log(line) });
    console.log(`GeneratorResNet ${r.parameters.generator.toLocaleString('en-US')} parameters (×2), Discriminator ${r.parameters.discriminator.toLocaleString('en-US')} parameters (×2); ${r.steps.length} steps in ${r.seconds.toFixed(0)} s`);
    console.log(`grid: ${r.pictures.join(', ')}`);
  }
}
