/**
 * Chapter 3, "Learning rate annealing": Adam (learning rate 0.001) on scaled images for 30
 * epochs, halving the learning rate whenever the validation loss stops improving by 0.001.
 */
import { Adam, ReduceLROnPlateau } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult } from './experiment.js';
import { bookMlp } from './models.js';

/**
 * Runs the learning-rate annealing experiment: one variant, `Adam lr 0.001 + ReduceLROnPlateau`
 * (factor 0.5, patience 0, threshold 0.001 absolute, min lr 1e-5, stepped on the validation
 * loss), 30 epochs in the book. The table's `final lr` column shows where the schedule ended.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runLrAnnealing } from './lr-annealing.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const result = await runLrAnnealing({ data, epochs: 2 });
 * result.variants[0]!.history.length; // 2
 * data.dispose();
 * ```
 */
export function runLrAnnealing(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'lr-annealing',
    'Adam lr 0.001 with ReduceLROnPlateau(factor 0.5, patience 0, threshold 0.001 abs, min lr 1e-5)',
    [
      {
        name: 'Adam lr 0.001 + ReduceLROnPlateau',
        epochs: 30,
        divisor: 255,
        setup: () => {
          const model = bookMlp();
          const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
          const scheduler = new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 0, threshold: 0.001, minLr: 1e-5, thresholdMode: 'abs' });
          return { model, optimizer, scheduler };
        },
      },
    ],
    options,
  );
}
