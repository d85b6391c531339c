/**
 * Chapter 3, "Understanding the impact of varying the batch size": Adam (learning rate 0.01) on
 * scaled images for 5 epochs, with 32 and with 10,000 images per step.
 */
import { Adam } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSetup } from './experiment.js';
import { bookMlp } from './models.js';

function getModel(): VariantSetup {
  const model = bookMlp();
  const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
  return { model, optimizer };
}

/**
 * Runs the batch-size experiment: variants `batch 32` and `batch 10000`, 5 epochs each in the
 * book. The large batch takes 6 steps per epoch instead of 1,875.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runBatchSize } from './batch-size.js';
 * const data = ImageSplits.synthetic({ train: 64, val: 32 });
 * const result = await runBatchSize({ data, epochs: 1 });
 * result.variants.map((v) => v.steps); // [2, 1]
 * data.dispose();
 * ```
 */
export function runBatchSize(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'batch-size',
    'Adam lr 0.01, scaled inputs: 32 vs 10,000 images per step',
    [
      { name: 'batch 32', epochs: 5, divisor: 255, batchSize: 32, setup: getModel },
      { name: 'batch 10000', epochs: 5, divisor: 255, batchSize: 10_000, setup: getModel },
    ],
    options,
  );
}
