/**
 * Chapter 3, "Understanding the impact of varying the loss optimizer": SGD and Adam, both with
 * learning rate 0.01, on scaled images, batch 32, 10 epochs.
 */
import { Adam, SGD } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult } from './experiment.js';
import { bookMlp } from './models.js';

/**
 * Runs the optimizer experiment: variants `SGD lr 0.01` and `Adam lr 0.01`, 10 epochs each in
 * the book. Both start from the same weights (the seed is reset before each model is built).
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runOptimizers } from './optimizer.js';
 * const data = ImageSplits.synthetic({ train: 64, val: 32 });
 * const result = await runOptimizers({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['SGD lr 0.01', 'Adam lr 0.01']
 * data.dispose();
 * ```
 */
export function runOptimizers(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'optimizer',
    'SGD vs Adam, lr 0.01, scaled inputs, batch 32',
    [
      {
        name: 'SGD lr 0.01',
        epochs: 10,
        divisor: 255,
        setup: () => {
          const model = bookMlp();
          return { model, optimizer: new SGD(model.parameters(), { lr: 1e-2 }) };
        },
      },
      {
        name: 'Adam lr 0.01',
        epochs: 10,
        divisor: 255,
        setup: () => {
          const model = bookMlp();
          return { model, optimizer: new Adam(model.parameters(), { lr: 1e-2 }) };
        },
      },
    ],
    options,
  );
}
