/**
 * The book's chapter 3 experiments on Fashion-MNIST, by name (what `experiments.js` runs).
 */
import { runBatchNorm } from './batch-norm.js';
import { runBatchSize } from './batch-size.js';
import { runDeeperNetworks } from './deeper.js';
import { runDropout } from './dropout.js';
import type { ExperimentOptions, ExperimentResult } from './experiment.js';
import { runLearningRates } from './learning-rate.js';
import { runLrAnnealing } from './lr-annealing.js';
import { runOptimizers } from './optimizer.js';
import { runRegularization } from './regularization.js';
import { runScaling } from './scaling.js';

export * from './data.js';
export * from './experiment.js';
export * from './models.js';
export * from './train.js';
export { runBatchNorm, runBatchSize, runDeeperNetworks, runDropout, runLearningRates, runLrAnnealing, runOptimizers, runRegularization, runScaling };
export { l1Penalty, l2Penalty } from './regularization.js';

/** An experiment the runner knows by name. */
export interface ExperimentEntry {
  /** The runner's name for it (`node dist/experiments.js <name>`). */
  name: string;
  /** The book's notebook it reproduces (in the book's repository, `Chapter03/`). */
  notebook: string;
  /** Epochs per variant in the book, e.g. `'5'` or `'10 / 30 / 30'`. */
  bookEpochs: string;
  /** Runs it. */
  run: (options?: ExperimentOptions) => Promise<ExperimentResult>;
}

/**
 * Every chapter 3 experiment, in the book's order.
 *
 * @example
 * ```ts
 * import { EXPERIMENTS } from './index.js';
 * EXPERIMENTS.map((e) => e.name); // ['scaling', 'batch-size', 'optimizer', 'learning-rate', 'lr-annealing', 'deeper', 'batch-norm', 'dropout', 'regularization']
 * ```
 */
export const EXPERIMENTS: readonly ExperimentEntry[] = [
  { name: 'scaling', notebook: 'Scaling_the_dataset.ipynb', bookEpochs: '5', run: runScaling },
  { name: 'batch-size', notebook: 'Varying_batch_size.ipynb', bookEpochs: '5', run: runBatchSize },
  { name: 'optimizer', notebook: 'Varying_loss_optimizer.ipynb', bookEpochs: '10', run: runOptimizers },
  { name: 'learning-rate', notebook: 'Varying_learning_rate_on_scaled_data.ipynb, Varying_learning_rate_on_non_scaled_data.ipynb', bookEpochs: '5', run: runLearningRates },
  { name: 'lr-annealing', notebook: 'Learning_rate_annealing.ipynb', bookEpochs: '30', run: runLrAnnealing },
  { name: 'deeper', notebook: 'Impact_of_building_a_deeper_neural_network.ipynb', bookEpochs: '5', run: runDeeperNetworks },
  { name: 'batch-norm', notebook: 'Batch_normalization.ipynb', bookEpochs: '100', run: runBatchNorm },
  { name: 'dropout', notebook: 'Impact_of_dropout.ipynb', bookEpochs: '30', run: runDropout },
  { name: 'regularization', notebook: 'Impact_of_regularization.ipynb', bookEpochs: '10 / 30 / 30', run: runRegularization },
];
