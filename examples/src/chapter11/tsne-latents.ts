/**
 * The book's chapter 11 t-SNE of the convolutional autoencoder's latent vectors
 * (`Chapter11/conv_auto_encoder.ipynb`): trains `ConvAutoEncoder` (MSE, AdamW 1e-3, weight decay
 * 1e-5, batch 128), encodes validation images into their 64×2×2 = 256-dimensional codes, embeds
 * them in 2-D with {@link TSNE} (scikit-learn's exact t-SNE written with tensorgrad ops) and writes
 * the scatter plot coloured by class:
 *
 *     node examples/dist/chapter11/tsne-latents.js [--input latents|pixels] [--epochs N] [--train-limit N]
 *                                                  [--points N] [--val-limit N] [--perplexity X] [--max-iter N] [--seed N] [--out FILE]
 *
 * `pnpm --filter @tensorgrad/examples ch11:tsne` does the same after a build. The book uses MNIST
 * and embeds all 10,000 validation codes; here the images are Fashion-MNIST (the data set these
 * machines have) and the exact O(N²) t-SNE embeds the first `--points` validation images.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FashionMNIST, summary, tidy, writePng, type Tensor } from 'tensorgrad';
import { isMain } from '../run-main.js';
import { encodeDataset, loadFashionImages, type ImageSet } from './data.js';
import { ConvAutoEncoder } from './models.js';
import { scatterPlot } from './scatter-plot.js';
import { seeded, trainAutoEncoder } from './train.js';
import { TSNE } from './tsne.js';

/** Options of {@link runTsneLatents}. */
export interface TsneLatentsOptions {
  /** `'latents'` (default): the trained autoencoder's codes; `'pixels'`: the raw 784 pixels (no training). */
  input?: 'latents' | 'pixels';
  /** Autoencoder training epochs (default 5, the book's). */
  epochs?: number;
  /** Training images (default 60000: all). */
  trainLimit?: number;
  /** Validation images embedded (default 1000). */
  points?: number;
  /** Validation images of the autoencoder's per-epoch validation loss (default 10000: all; at least `points`). */
  valLimit?: number;
  /** t-SNE perplexity (default 30). */
  perplexity?: number;
  /** t-SNE iterations (default 1000). */
  maxIter?: number;
  /** Seed of the initialisation, the batch order and t-SNE (default 0). */
  seed?: number;
  /** The PNG to write (default `examples/.generated/chapter11/tsne.png`). */
  out?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** The Fashion-MNIST folder (default: the usual search). */
  root?: string;
  /**
   * Training images (scaled to [-1, 1], as `loadFashionImages` gives them) instead of loading the
   * first `trainLimit` Fashion-MNIST training images; left to the caller to free.
   */
  train?: ImageSet;
  /** Validation images instead of loading the first `valLimit` test images; left to the caller to free. */
  val?: ImageSet;
}

/** What {@link runTsneLatents} measured. */
export interface TsneLatentsResult {
  /** What was embedded. */
  input: 'latents' | 'pixels';
  /** Parameters of the autoencoder (50,161; 0 with `pixels`). */
  params: number;
  /** The autoencoder's validation MSE per epoch (empty with `pixels`). */
  valLosses: number[];
  /** Points embedded and their dimension. */
  shape: [number, number];
  /** KL(P‖Q) of the final embedding. */
  klDivergence: number;
  /** Fraction of points whose nearest neighbour has the same class: in the input space and in the 2-D embedding. */
  neighbourAccuracy: { input: number; embedding: number };
  /** Seconds spent training and embedding. */
  seconds: { train: number; tsne: number };
  /** The PNG written. */
  picture: string;
}

/** Fraction of rows (row-major `[n, d]`) whose nearest other row has the same label. */
function nearestNeighbourAccuracy(values: ArrayLike<number>, n: number, d: number, labels: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let nearest = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += (values[i * d + c]! - values[j * d + c]!) ** 2;
      if (s < best) [best, nearest] = [s, j];
    }
    if (labels[nearest] === labels[i]) correct++;
  }
  return correct / n;
}

/**
 * Trains the chapter's convolutional autoencoder (or takes the raw pixels), embeds the first
 * `points` validation codes with t-SNE and writes the scatter plot; prints the model's
 * `summary`, the losses and t-SNE's progress through `log`.
 *
 * With `train` and `val` given, nothing is loaded (without them, the first `trainLimit` training
 * and `valLimit` test images of Fashion-MNIST are).
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { imageSet } from './data.js';
 * import { runTsneLatents } from './tsne-latents.js';
 * const data = imageSet(Float32Array.from({ length: 20 * 784 }, (_, i) => Math.sin(i % 97)), Int32Array.from({ length: 20 }, (_, i) => i % 4));
 * const out = join(mkdtempSync(join(tmpdir(), 'ch11-tsne-')), 'tsne.png');
 * const r = await runTsneLatents({ train: data, val: data, epochs: 1, points: 20, perplexity: 5, maxIter: 250, out });
 * [r.params, r.shape]; // [50161, [20, 256]]
 * ```
 */
export async function runTsneLatents(options: TsneLatentsOptions = {}): Promise<TsneLatentsResult> {
  const log = options.log ?? (() => {});
  const input = options.input ?? 'latents';
  const seed = options.seed ?? 0;
  const points = options.points ?? 1000;
  const perplexity = options.perplexity ?? 30;
  // t-SNE needs more points than the perplexity: say so before minutes of training, not after
  const available = options.val ? options.val.images.shape[0]! : 10000;
  if (!(perplexity < Math.min(points, available))) {
    throw new RangeError(`runTsneLatents: perplexity must be less than the number of points embedded, got perplexity ${perplexity} for ${Math.min(points, available)} points; lower --perplexity or raise --points`);
  }
  const out = options.out ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.generated', 'chapter11', 'tsne.png');
  const root = options.root ? { root: options.root } : {};
  const val = options.val ?? (await loadFashionImages({ train: false, limit: Math.max(options.valLimit ?? 10000, points), ...root }));
  let valFreed = options.val !== undefined; // the caller's images stay theirs
  const freeVal = (): void => {
    if (valFreed) return;
    valFreed = true;
    val.images.dispose();
    val.labels.dispose();
  };
  let x: Tensor | null = null;
  let labels: Tensor | null = null;
  let y: Tensor | null = null;
  let picture: Tensor | null = null;
  const tsne = new TSNE(2, { perplexity, maxIter: options.maxIter ?? 1000, randomState: seed, verbose: 2, log });
  try {
    let params = 0;
    const valLosses: number[] = [];
    const t0 = performance.now();
    if (input === 'latents') {
      const model = seeded(seed, () => new ConvAutoEncoder());
      try {
        const s = summary(model, [1, 28, 28]);
        log(s.text);
        params = s.totalParams;
        log(`ConvAutoEncoder: ${params.toLocaleString('en-US')} parameters`);
        const train = options.train ?? (await loadFashionImages({ train: true, limit: options.trainLimit ?? 60000, ...root }));
        try {
          const h = trainAutoEncoder(model, train, val, { epochs: options.epochs ?? 5, batchSize: 128, seed, log });
          valLosses.push(...h.epochs.map((e) => e.valLoss));
        } finally {
          if (!options.train) {
            train.images.dispose();
            train.labels.dispose();
          }
        }
        ({ latents: x, labels } = encodeDataset(model, val, { limit: points }));
      } finally {
        model.dispose();
      }
    } else {
      const n = Math.min(points, val.images.shape[0]!);
      x = tidy(() => val.images.narrow(0, 0, n).reshape([n, -1]));
      labels = tidy(() => val.labels.narrow(0, 0, n).clone());
    }
    freeVal();
    const t1 = performance.now();
    const [n, d] = [x.shape[0]!, x.shape[1]!];
    log(`t-SNE of ${n} validation ${input === 'latents' ? 'latent vectors' : 'images'} of dimension ${d}`);
    y = await tsne.fitTransform(x);
    const t2 = performance.now();
    const labelValues = Array.from(await labels.data(), Number);
    const neighbourAccuracy = {
      input: nearestNeighbourAccuracy(await x.data(), n, d, labelValues),
      embedding: nearestNeighbourAccuracy(await y.data(), n, 2, labelValues),
    };
    mkdirSync(dirname(out), { recursive: true });
    picture = await scatterPlot(y, labelValues, {
      classes: FashionMNIST.classes,
      title: `t-SNE of ${n} ${input === 'latents' ? 'autoencoder latents' : 'raw images'}, KL ${tsne.klDivergence_.toFixed(3)}`,
    });
    await writePng(picture, out);
    return {
      input,
      params,
      valLosses,
      shape: [n, d],
      klDivergence: tsne.klDivergence_,
      neighbourAccuracy,
      seconds: { train: (t1 - t0) / 1000, tsne: (t2 - t1) / 1000 },
      picture: out,
    };
  } finally {
    freeVal();
    for (const t of [x, labels, y, picture, tsne.embedding_]) t?.dispose();
    tsne.embedding_ = null;
  }
}

/** The usage text printed by `--help` and after a bad argument. */
export const USAGE = `usage: node examples/dist/chapter11/tsne-latents.js [--input latents|pixels] [--epochs N] [--train-limit N] [--points N] [--val-limit N] [--perplexity X] [--max-iter N] [--seed N] [--out FILE]

--input NAME      latents (default: the trained conv autoencoder's 256-d codes) or pixels (the raw 784 pixels, no training)
--epochs N        autoencoder training epochs (default 5, the book's)
--train-limit N   training images (default 60000: all)
--points N        validation images embedded (default 1000; t-SNE's exact method is O(N²))
--val-limit N     validation images of the autoencoder's validation loss (default 10000: all)
--perplexity X    t-SNE perplexity (default 30)
--max-iter N      t-SNE iterations, at least 250 (default 1000)
--seed N          seed of the initialisation, batch order and t-SNE (default 0)
--out FILE        the PNG to write (default examples/.generated/chapter11/tsne.png)`;

/**
 * Parses the command line into {@link runTsneLatents}'s options (`null` for `--help`); throws a
 * `RangeError` naming a bad argument.
 *
 * @example
 * ```ts
 * import { parseTsneArgs } from './tsne-latents.js';
 * parseTsneArgs(['--points', '500', '--input', 'pixels', '--perplexity', '20']); // { points: 500, input: 'pixels', perplexity: 20 }
 * parseTsneArgs(['--help']); // null
 * ```
 */
export function parseTsneArgs(argv: readonly string[]): TsneLatentsOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        input: { type: 'string' },
        epochs: { type: 'string' },
        'train-limit': { type: 'string' },
        points: { type: 'string' },
        'val-limit': { type: 'string' },
        perplexity: { type: 'string' },
        'max-iter': { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    throw new RangeError(`${(e as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return null;
  const o: TsneLatentsOptions = {};
  const int = (name: string, s: string | undefined, min: number): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name}: expected an integer ≥ ${min}, got ${s}\n${USAGE}`);
    return n;
  };
  if (v.input !== undefined) {
    if (v.input !== 'latents' && v.input !== 'pixels') throw new RangeError(`--input: expected latents or pixels, got ${v.input}\n${USAGE}`);
    o.input = v.input;
  }
  const set = <K extends keyof TsneLatentsOptions>(key: K, value: TsneLatentsOptions[K] | undefined) => {
    if (value !== undefined) o[key] = value;
  };
  set('epochs', int('epochs', v.epochs, 1));
  set('trainLimit', int('train-limit', v['train-limit'], 1));
  set('points', int('points', v.points, 2));
  set('valLimit', int('val-limit', v['val-limit'], 1));
  if (v.perplexity !== undefined) {
    const p = Number(v.perplexity);
    if (!(p > 0)) throw new RangeError(`--perplexity: expected a positive number, got ${v.perplexity}\n${USAGE}`);
    o.perplexity = p;
  }
  set('maxIter', int('max-iter', v['max-iter'], 250));
  set('seed', int('seed', v.seed, 0));
  set('out', v.out);
  return o;
}

if (isMain(import.meta.url)) {
  const options = parseTsneArgs(process.argv.slice(2));
  if (options === null) {
    console.log(USAGE);
  } else {
    const r = await runTsneLatents({ ...options, log: (line) => console.log(line) });
    console.log(`\ninput: ${r.input} [${r.shape.join(', ')}]${r.params ? `, ConvAutoEncoder ${r.params.toLocaleString('en-US')} parameters, validation MSE per epoch ${r.valLosses.map((l) => l.toFixed(4)).join(', ')}` : ''}`);
    console.log(`KL divergence ${r.klDivergence.toFixed(4)}; 1-NN class agreement: input space ${r.neighbourAccuracy.input.toFixed(3)}, 2-D embedding ${r.neighbourAccuracy.embedding.toFixed(3)}`);
    console.log(`time: training ${r.seconds.train.toFixed(1)} s, t-SNE ${r.seconds.tsne.toFixed(1)} s; picture ${r.picture}`);
  }
}
