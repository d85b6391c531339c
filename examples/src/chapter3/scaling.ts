/**
 * Chapter 3, "Scaling a dataset to improve model accuracy": the same network and optimizer (SGD,
 * learning rate 0.01, batch 32, 5 epochs) on raw pixel values 0–255 and on values divided by 255.
 */
import { SGD } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSetup } from './experiment.js';
import { bookMlp } from './models.js';

function getModel(): VariantSetup {
  const model = bookMlp();
  const optimizer = new SGD(model.parameters(), { lr: 1e-2 });
  return { model, optimizer };
}

/**
 * Runs the scaling experiment: variants `unscaled (0-255)` and `scaled (/255)`, 5 epochs each in
 * the book.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runScaling } from './scaling.js';
 * const data = ImageSplits.synthetic({ train: 64, val: 32 });
 * const result = await runScaling({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['unscaled (0-255)', 'scaled (/255)']
 * data.dispose();
 * ```
 */
export function runScaling(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'scaling',
    'SGD lr 0.01, batch 32: pixel values 0-255 vs divided by 255',
    [
      { name: 'unscaled (0-255)', epochs: 5, divisor: 1, setup: getModel },
      { name: 'scaled (/255)', epochs: 5, divisor: 255, setup: getModel },
    ],
    options,
  );
}
