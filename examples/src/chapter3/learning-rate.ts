/**
 * Chapter 3, "Understanding the impact of varying the learning rate": Adam with learning rates
 * 0.1, 0.001 and 0.00001, batch 32, 5 epochs, first on scaled images and then on raw 0–255 values.
 */
import { Adam } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSpec } from './experiment.js';
import { bookMlp } from './models.js';

const LEARNING_RATES = [1e-1, 1e-3, 1e-5] as const;

function variant(lr: number, scaled: boolean): VariantSpec {
  return {
    name: `${scaled ? 'scaled' : 'unscaled'}, lr ${lr}`,
    epochs: 5,
    divisor: scaled ? 255 : 1,
    setup: () => {
      const model = bookMlp();
      return { model, optimizer: new Adam(model.parameters(), { lr }) };
    },
  };
}

/**
 * Runs the learning-rate experiment: six variants, `scaled, lr 0.1` … `unscaled, lr 0.00001`,
 * 5 epochs each in the book.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runLearningRates } from './learning-rate.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const result = await runLearningRates({ data, epochs: 1 });
 * result.variants[1]!.name; // 'scaled, lr 0.001'
 * result.variants.length; // 6
 * data.dispose();
 * ```
 */
export function runLearningRates(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'learning-rate',
    'Adam with lr 0.1 / 0.001 / 0.00001 on scaled and on unscaled inputs, batch 32',
    [...LEARNING_RATES.map((lr) => variant(lr, true)), ...LEARNING_RATES.map((lr) => variant(lr, false))],
    options,
  );
}
