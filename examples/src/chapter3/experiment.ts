/**
 * What every chapter 3 experiment shares: its options, how its variants are trained one after
 * the other on the same data with the same seed, and the table that reports them.
 */
import { manualSeed, type AnyOptimizer } from 'tensorgrad';
import { ImageSplits } from './data.js';
import { fit, type Classifier, type EpochResult, type Penalty, type ValidationScheduler } from './train.js';

/** Options every experiment accepts. */
export interface ExperimentOptions {
  /** Epochs of every variant (default: each variant's number of epochs in the book). */
  epochs?: number;
  /** Train on the first `limit` training images only (default: all 60,000). */
  limit?: number;
  /** Validate on the first `testLimit` test images only (default: all 10,000). */
  testLimit?: number;
  /** Receives progress lines (one per epoch); default: silent. */
  log?: (line: string) => void;
  /**
   * Unscaled images (0–255) to use instead of loading Fashion-MNIST, e.g. loaded once for several
   * experiments; `limit`/`testLimit` still apply. The experiment does not dispose them.
   */
  data?: ImageSplits;
  /** Folder with the Fashion-MNIST files (see `FashionMNIST.load`); ignored with `data`. */
  root?: string;
  /** Seed of the weight initialisation and of the batch order (default 0). */
  seed?: number;
}

/** What a variant trains: its model, optimizer and extras, built after the seed is set. */
export interface VariantSetup {
  /** The network. */
  model: Classifier;
  /** Its optimizer. */
  optimizer: AnyOptimizer;
  /** Stepped with the validation loss after each epoch. */
  scheduler?: ValidationScheduler;
  /** Added to every batch's loss. */
  penalty?: Penalty;
}

/** One variant of an experiment: a name, how the data is scaled, and how the model is built. */
export interface VariantSpec {
  /** Shown in the results table. */
  name: string;
  /** Epochs the book trains this variant for (`ExperimentOptions.epochs` overrides it). */
  epochs: number;
  /** The images are divided by this before training (255 in most of the book; 1 = unscaled). */
  divisor: number;
  /** Images per step (default 32). */
  batchSize?: number;
  /** Builds the model and optimizer (called after `manualSeed`, so every variant starts alike). */
  setup: () => VariantSetup;
}

/** The outcome of one variant. */
export interface VariantResult {
  /** The variant's name. */
  name: string;
  /** Epochs trained. */
  epochs: number;
  /** Images per step. */
  batchSize: number;
  /** Optimisation steps taken in all. */
  steps: number;
  /** One entry per epoch. */
  history: EpochResult[];
  /** The last epoch's numbers. */
  final: EpochResult;
  /** Wall-clock seconds of the whole variant. */
  seconds: number;
}

/** The outcome of one experiment. */
export interface ExperimentResult {
  /** The experiment's runner name (e.g. `'scaling'`). */
  name: string;
  /** A one-line description. */
  title: string;
  /** Training images used. */
  trainSize: number;
  /** Validation images used. */
  valSize: number;
  /** One entry per variant, in order. */
  variants: VariantResult[];
}

/**
 * Trains each variant in turn and collects the results: loads Fashion-MNIST (unless
 * `options.data` is given), applies `limit`/`testLimit`, scales the images once per divisor,
 * seeds the generator before building each model, and frees everything it created.
 *
 * @example
 * ```ts
 * import { Adam, Linear } from 'tensorgrad';
 * import { ImageSplits } from './data.js';
 * import { runVariants } from './experiment.js';
 * const data = ImageSplits.synthetic({ train: 64, val: 16, features: 8 });
 * const result = await runVariants('demo', 'a linear model', [
 *   { name: 'adam', epochs: 2, divisor: 255, setup: () => { const model = new Linear(8, 10); return { model, optimizer: new Adam(model.parameters()) }; } },
 * ], { data, epochs: 1 });
 * result.variants[0]!.steps; // 2
 * data.dispose();
 * ```
 */
export async function runVariants(name: string, title: string, variants: readonly VariantSpec[], options: ExperimentOptions = {}): Promise<ExperimentResult> {
  const { epochs, seed = 0 } = options;
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) {
    throw new RangeError(`${name}: expected a positive whole number of epochs, got ${String(epochs)}; leave it out for the book's`);
  }
  const owned =
    options.data ??
    (await ImageSplits.loadFashionMnist({ limit: options.limit, testLimit: options.testLimit, ...(options.root === undefined ? {} : { root: options.root }) }));
  const raw = options.data ? options.data.limited(options.limit, options.testLimit) : owned;
  const scaled = new Map<number, ImageSplits>();
  try {
    const results: VariantResult[] = [];
    for (const spec of variants) {
      let data = scaled.get(spec.divisor);
      if (!data) {
        data = raw.scaled(spec.divisor);
        scaled.set(spec.divisor, data);
      }
      const n = epochs ?? spec.epochs;
      const batchSize = spec.batchSize ?? 32;
      manualSeed(seed);
      const { model, optimizer, scheduler, penalty } = spec.setup();
      const started = performance.now();
      try {
        const history = fit(model, optimizer, data, { epochs: n, batchSize, seed, scheduler, penalty, log: options.log, label: `${name} / ${spec.name}` });
        results.push({
          name: spec.name,
          epochs: n,
          batchSize,
          steps: history.reduce((s, e) => s + e.steps, 0),
          history,
          final: history[history.length - 1]!,
          seconds: (performance.now() - started) / 1000,
        });
      } finally {
        optimizer.dispose();
        model.dispose();
      }
    }
    return { name, title, trainSize: raw.trainSize, valSize: raw.valSize, variants: results };
  } finally {
    for (const data of scaled.values()) data.dispose();
    if (raw !== owned) raw.dispose();
    if (!options.data) owned.dispose();
  }
}

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

/**
 * The results as a text table: variant | epochs | final train acc | final val acc | train loss |
 * val loss | final lr | time.
 *
 * @example
 * ```ts
 * import { formatResult } from './experiment.js';
 * const epoch = { epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75, lr: 0.01, steps: 10, seconds: 1 };
 * const text = formatResult({ name: 'demo', title: 'Demo', trainSize: 320, valSize: 100, variants: [
 *   { name: 'only', epochs: 1, batchSize: 32, steps: 10, history: [epoch], final: epoch, seconds: 1 },
 * ] });
 * text.includes('80.00%'); // true
 * ```
 */
export function formatResult(result: ExperimentResult): string {
  const header = ['variant', 'epochs', 'train acc', 'val acc', 'train loss', 'val loss', 'final lr', 'time'];
  const rows = result.variants.map((v) => [
    v.name,
    String(v.epochs),
    pct(v.final.trainAccuracy),
    pct(v.final.valAccuracy),
    v.final.trainLoss.toFixed(4),
    v.final.valLoss.toFixed(4),
    v.final.lr.toExponential(2),
    `${v.seconds.toFixed(1)} s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    `${result.name}: ${result.title}`,
    `(${result.trainSize} training images, ${result.valSize} validation images)`,
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
