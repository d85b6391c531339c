/**
 * Batch normalisation in the chapter 4 CNN: the network with and without a `BatchNorm2d` after
 * each convolution, training loss and test accuracy per epoch. (Chapter 3's batch-norm
 * experiment covers the fully connected network only.)
 */
import { Adam } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSpec } from '../chapter3/experiment.js';
import { bookCnn } from './models.js';

function variant(name: string, batchNorm: boolean): VariantSpec {
  return {
    name,
    epochs: 5,
    divisor: 255,
    setup: () => {
      const model = bookCnn({ batchNorm });
      return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }) };
    },
  };
}

/**
 * Trains the chapter 4 CNN without and with `BatchNorm2d` (Adam, learning rate 0.001, batch 32,
 * images divided by 255, 5 epochs by default as in the book's chapter 4); every variant starts
 * from `manualSeed(seed)`.
 *
 * @example
 * ```ts
 * import { ImageSplits } from '../chapter3/data.js';
 * import { runCnnBatchNorm } from './cnn-batch-norm.js';
 * const data = ImageSplits.synthetic({ train: 8, val: 4 });
 * const result = await runCnnBatchNorm({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['CNN', 'CNN + BatchNorm2d']
 * data.dispose();
 * ```
 */
export function runCnnBatchNorm(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants('cnn-batch-norm', 'chapter 4 CNN, Adam lr 0.001: without vs with BatchNorm2d after each convolution', [variant('CNN', false), variant('CNN + BatchNorm2d', true)], options);
}

/**
 * Per-epoch training loss and validation (test) accuracy of every variant, one row per epoch.
 *
 * @example
 * ```ts
 * import { formatEpochs } from './cnn-batch-norm.js';
 * const epoch = { epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75, lr: 0.001, steps: 10, seconds: 3 };
 * const text = formatEpochs({ name: 'demo', title: 'Demo', trainSize: 320, valSize: 100, variants: [
 *   { name: 'only', epochs: 1, batchSize: 32, steps: 10, history: [epoch], final: epoch, seconds: 3 },
 * ] });
 * text.includes('0.5000 / 75.00%'); // true
 * ```
 */
export function formatEpochs(result: ExperimentResult): string {
  const header = ['epoch', ...result.variants.map((v) => `${v.name}: train loss / test acc`)];
  const n = Math.max(0, ...result.variants.map((v) => v.history.length));
  const rows = Array.from({ length: n }, (_, i) => [
    String(i + 1),
    ...result.variants.map((v) => {
      const e = v.history[i];
      return e ? `${e.trainLoss.toFixed(4)} / ${(e.valAccuracy * 100).toFixed(2)}%` : '';
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`, ...rows.map(line)].join('\n');
}
