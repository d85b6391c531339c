/**
 * Chapter 5, transfer learning, in a form that runs without downloads: a small VGG-style backbone
 * is pretrained on Fashion-MNIST classes 0–4 (T-shirt, trouser, pullover, dress, coat) and saved
 * as safetensors; classes 5–9 (sandal, shirt, sneaker, bag, ankle boot) are then learnt from 50,
 * 200 or 1,000 images with (a) the frozen pretrained backbone and a new head (the book's recipe),
 * (b) the whole pretrained net fine-tuned, (c) the same network from scratch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, loadSafetensors, manualSeed, memory, saveSafetensors } from 'tensorgrad';
import { ImageSplits } from '../chapter3/data.js';
import type { ExperimentOptions } from '../chapter3/experiment.js';
import { evaluate, trainEpoch, type Classifier } from '../chapter3/train.js';
import { classSplits, selectClasses } from './data.js';
import { freeze, parameterCounts, TransferNet, transferHead, vggBackbone } from './models.js';

/** The classes the backbone is pretrained on. */
export const SOURCE_CLASSES: readonly number[] = [0, 1, 2, 3, 4];
/** The classes it is transferred to. */
export const TARGET_CLASSES: readonly number[] = [5, 6, 7, 8, 9];

/** Options of {@link runTransfer}. */
export interface TransferOptions extends ExperimentOptions {
  /** Fine-tuning epochs of every run (`epochs` default 10). */
  epochs?: number;
  /** Epochs of pretraining on classes 0–4 (default 3). */
  pretrainEpochs?: number;
  /** Training-set sizes (images of classes 5–9) to transfer with (default [50, 200, 1000]). */
  sizes?: readonly number[];
  /** Filters per block of the backbone (default [16, 32]; see `vggBackbone`). */
  channels?: readonly number[];
  /** Where to save the pretrained backbone's state dict (default: a temporary file, removed afterwards). */
  weightsPath?: string;
  /** Images per step (default 32). */
  batchSize?: number;
}

/** How the backbone is treated in one transfer run. */
export type TransferVariant = 'frozen backbone' | 'fine-tune all' | 'from scratch';

/** The transfer variants, in the order they run. */
export const TRANSFER_VARIANTS: readonly TransferVariant[] = ['frozen backbone', 'fine-tune all', 'from scratch'];

/**
 * The backend's memory during a run, in bytes, counted from what was live when training began
 * (the data and the model's own parameters and buffers are not included).
 */
export interface MemoryUse {
  /** Largest `memory().numBytes` seen at the end of a training forward pass (activations kept for backward, gradients, optimizer state). */
  peakBytes: number;
  /** Bytes still held after the last step: the optimizer's state (Adam: two values per trainable parameter value; the gradients were freed by `zeroGrad`). */
  stateBytes: number;
}

/** One transfer run: one variant on one training-set size. */
export interface TransferRun extends MemoryUse {
  /** How the backbone was treated. */
  variant: TransferVariant;
  /** Training images of classes 5–9. */
  size: number;
  /** Epochs trained. */
  epochs: number;
  /** Optimisation steps taken in all. */
  steps: number;
  /** Mean batch loss of the last epoch. */
  trainLoss: number;
  /** Accuracy on the test images of classes 5–9. */
  testAccuracy: number;
  /** Cross-entropy on them. */
  testLoss: number;
  /** Mean wall-clock seconds of a training epoch (evaluation excluded). */
  secondsPerEpoch: number;
  /** Parameter values that require gradients. */
  trainable: number;
  /** Parameter values in all. */
  total: number;
}

/** The outcome of {@link runTransfer}. */
export interface TransferResult {
  /** `'transfer'`. */
  name: string;
  /** A one-line description. */
  title: string;
  /** The pretraining on classes 0–4. */
  pretrain: {
    /** Training images of classes 0–4. */
    trainSize: number;
    /** Test images of classes 0–4 it was evaluated on. */
    testSize: number;
    /** Epochs. */
    epochs: number;
    /** Accuracy on those test images after pretraining. */
    testAccuracy: number;
    /** Mean seconds per epoch. */
    secondsPerEpoch: number;
    /** Parameter values of the backbone. */
    backboneParameters: number;
  };
  /** Test images of classes 5–9 every run is evaluated on. */
  testSize: number;
  /** Every run, size by size, variant by variant. */
  runs: TransferRun[];
}

function checkWhole(name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min) throw new RangeError(`transfer: expected ${name} to be a whole number >= ${min}, got ${String(v)}`);
}

interface Trained extends MemoryUse {
  steps: number;
  trainLoss: number;
  secondsPerEpoch: number;
}

/** Trains `model` for `epochs` epochs with the chapter 3 helpers, watching the backend's memory. */
function train(model: Classifier, x: ImageSplits['trainX'], y: ImageSplits['trainY'], epochs: number, seed: number, batchSize: number, log?: (l: string) => void, label = ''): Trained {
  const base = memory().numBytes;
  let peak = 0;
  const hook = model.registerForwardHook(() => {
    if (model.training) peak = Math.max(peak, memory().numBytes - base);
  });
  // every parameter, as the book does: the frozen ones are accepted and skipped (their .grad stays null)
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  let steps = 0;
  let trainLoss = NaN;
  let seconds = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const done = trainEpoch(model, optimizer, x, y, { batchSize, seed, epoch });
      seconds += (performance.now() - started) / 1000;
      steps += done.steps;
      trainLoss = done.loss;
      log?.(`${label}epoch ${epoch}/${epochs} train loss ${trainLoss.toFixed(4)} | ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    return { steps, trainLoss, secondsPerEpoch: seconds / epochs, peakBytes: peak, stateBytes: memory().numBytes - base };
  } finally {
    hook.remove();
    optimizer.dispose();
  }
}

/**
 * Runs the transfer-learning experiment (see the module comment): pretrains the backbone on the
 * classes 0–4 among the training images (`limit` applies first), saves its state dict with
 * `saveSafetensors`, and for each size in `sizes` trains the three {@link TRANSFER_VARIANTS} on
 * the first `size` images of classes 5–9, each after `manualSeed(seed)` (so the heads start
 * alike), with Adam (learning rate 0.001, the book's) and batches of 32. Every run is evaluated on
 * the test images of classes 5–9 (`testLimit` applies first).
 *
 * @example
 * ```ts
 * import { ImageSplits } from '../chapter3/data.js';
 * import { runTransfer } from './transfer.js';
 * const data = ImageSplits.synthetic({ train: 200, val: 100, seed: 1 });
 * const result = await runTransfer({ data, epochs: 1, pretrainEpochs: 1, sizes: [10], channels: [4, 8] });
 * result.runs.map((r) => r.variant); // ['frozen backbone', 'fine-tune all', 'from scratch']
 * result.runs[0]!.trainable < result.runs[1]!.trainable; // true
 * data.dispose();
 * ```
 */
export async function runTransfer(options: TransferOptions = {}): Promise<TransferResult> {
  const { epochs = 10, pretrainEpochs = 3, sizes = [50, 200, 1000], channels = [16, 32], seed = 0, batchSize = 32, log } = options;
  checkWhole('epochs', epochs);
  checkWhole('pretrainEpochs', pretrainEpochs);
  checkWhole('seed', seed, 0);
  checkWhole('batchSize', batchSize);
  if (sizes.length === 0) throw new RangeError('transfer: expected at least one training-set size in sizes, such as [50, 200, 1000]');
  for (const s of sizes) checkWhole('every size', s);
  const features = channels[channels.length - 1] ?? 0;
  const owned =
    options.data ??
    (await ImageSplits.loadFashionMnist({ limit: options.limit, testLimit: options.testLimit, ...(options.root === undefined ? {} : { root: options.root }) }));
  const raw = options.data ? options.data.limited(options.limit, options.testLimit) : owned;
  const scaled = raw.scaled(255);
  const folder = options.weightsPath === undefined ? mkdtempSync(join(tmpdir(), 'tensorgrad-transfer-')) : undefined;
  const weightsPath = options.weightsPath ?? join(folder!, 'backbone.safetensors');
  const source = classSplits(scaled, SOURCE_CLASSES);
  const target = selectClasses(scaled.valX, scaled.valY, TARGET_CLASSES);
  try {
    // pretraining on classes 0-4, then the backbone's state dict to a file
    manualSeed(seed);
    const pretrainNet = new TransferNet(vggBackbone(channels), transferHead(features, SOURCE_CLASSES.length));
    let pretrain: TransferResult['pretrain'];
    try {
      const trained = train(pretrainNet, source.trainX, source.trainY, pretrainEpochs, seed, batchSize, log, 'transfer / pretrain classes 0-4: ');
      pretrain = {
        trainSize: source.trainSize,
        testSize: source.valSize,
        epochs: pretrainEpochs,
        testAccuracy: evaluate(pretrainNet, source.valX, source.valY).accuracy,
        secondsPerEpoch: trained.secondsPerEpoch,
        backboneParameters: parameterCounts(pretrainNet.backbone).total,
      };
      const state = pretrainNet.backbone.stateDict(); // views of the backbone's tensors, ours to free
      try {
        await saveSafetensors(state, weightsPath, { metadata: { classes: SOURCE_CLASSES.join(','), channels: channels.join(',') } });
      } finally {
        for (const t of Object.values(state)) t.dispose();
      }
    } finally {
      pretrainNet.dispose();
    }
    log?.(`transfer / pretrain: test accuracy on classes 0-4 ${pretrain.testAccuracy.toFixed(4)}; backbone saved to ${weightsPath}`);

    const runs: TransferRun[] = [];
    for (const size of sizes) {
      const few = selectClasses(scaled.trainX, scaled.trainY, TARGET_CLASSES, { limit: size, exact: true });
      try {
        for (const variant of TRANSFER_VARIANTS) {
          manualSeed(seed);
          const backbone = vggBackbone(channels);
          if (variant !== 'from scratch') {
            const { tensors } = await loadSafetensors(weightsPath);
            try {
              backbone.loadStateDict(tensors, { strict: true });
            } finally {
              for (const t of Object.values(tensors)) t.dispose();
            }
          }
          const frozen = variant === 'frozen backbone';
          if (frozen) freeze(backbone);
          const model = new TransferNet(backbone, transferHead(features, TARGET_CLASSES.length), { frozen });
          try {
            const counts = parameterCounts(model);
            const trained = train(model, few.x, few.y, epochs, seed, batchSize, log, `transfer / ${size} images / ${variant}: `);
            const onTest = evaluate(model, target.x, target.y);
            runs.push({ variant, size, epochs, ...trained, testAccuracy: onTest.accuracy, testLoss: onTest.loss, ...counts });
            log?.(`transfer / ${size} images / ${variant}: test accuracy ${onTest.accuracy.toFixed(4)}`);
          } finally {
            model.dispose();
          }
        }
      } finally {
        few.x.dispose();
        few.y.dispose();
      }
    }
    return {
      name: 'transfer',
      title: `backbone pretrained on classes 0-4, transferred to classes 5-9 (${epochs} epochs, Adam lr 0.001)`,
      pretrain,
      testSize: target.x.shape[0]!,
      runs,
    };
  } finally {
    source.dispose();
    target.x.dispose();
    target.y.dispose();
    scaled.dispose();
    if (raw !== owned) raw.dispose();
    if (!options.data) owned.dispose();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  }
}

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;
const mib = (bytes: number): string => (bytes < 2 ** 20 ? `${(bytes / 2 ** 10).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

/**
 * The transfer results as text: the pretraining line, then one row per run with the test
 * accuracy, seconds per epoch, trainable / total parameter values and memory (see {@link MemoryUse}).
 *
 * @example
 * ```ts
 * import { formatTransfer } from './transfer.js';
 * const text = formatTransfer({
 *   name: 'transfer', title: 'demo', testSize: 5000,
 *   pretrain: { trainSize: 100, testSize: 50, epochs: 1, testAccuracy: 0.9, secondsPerEpoch: 2, backboneParameters: 1000 },
 *   runs: [{ variant: 'frozen backbone', size: 50, epochs: 1, steps: 2, trainLoss: 1, testAccuracy: 0.75, testLoss: 0.7,
 *     secondsPerEpoch: 0.5, trainable: 10, total: 1010, peakBytes: 2 ** 20, stateBytes: 2 ** 19 }],
 * });
 * text.includes('75.00%'); // true
 * [text.includes('1.0 MiB'), text.includes('512.0 KiB')]; // [true, true]
 * ```
 */
export function formatTransfer(result: TransferResult): string {
  const p = result.pretrain;
  const header = ['images', 'variant', 'test acc', 's/epoch', 'trainable', 'total', 'peak memory', 'optimizer state'];
  const rows = result.runs.map((r) => [
    String(r.size),
    r.variant,
    pct(r.testAccuracy),
    r.secondsPerEpoch.toFixed(2),
    r.trainable.toLocaleString('en-US'),
    r.total.toLocaleString('en-US'),
    mib(r.peakBytes),
    mib(r.stateBytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    `${result.name}: ${result.title}`,
    `pretraining: ${p.trainSize} images of classes 0-4, ${p.epochs} epochs, ${p.secondsPerEpoch.toFixed(1)} s/epoch, ` +
      `test accuracy ${pct(p.testAccuracy)} on ${p.testSize} images; backbone ${p.backboneParameters.toLocaleString('en-US')} parameters`,
    `(every run evaluated on ${result.testSize} test images of classes 5-9)`,
    line(header),
    `|${widths.map((w, i) => (i === 1 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
