/**
 * Chapter 3, "Impact of batch normalization": very small inputs (pixel values divided by
 * 255 × 10,000) slow training down; `BatchNorm1d` after the hidden layer fixes it. Adam (learning
 * rate 0.001), batch 32, 100 epochs in the book.
 */
import { Adam, BatchNorm1d, Linear, ReLU, Sequential } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSpec } from './experiment.js';

/** The book divides the pixel values by this to make the inputs tiny. */
const TINY = 255 * 10_000;

function variant(name: string, build: () => Sequential): VariantSpec {
  return {
    name,
    epochs: 100,
    divisor: TINY,
    setup: () => {
      const model = build();
      return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }) };
    },
  };
}

/**
 * Runs the batch-normalisation experiment on inputs divided by 255 × 10,000, 100 epochs per
 * variant in the book: `without batch norm`, `with BatchNorm1d` (the book's network), and
 * `BatchNorm1d, no bias before it`, which is not in the book: the bias of the `Linear` before the
 * batch norm cancels out in training mode, so its gradient is only rounding noise, yet Adam turns
 * that noise into steps of about the learning rate. The bias then drifts faster than the running
 * mean can follow, and with inputs this small the eval-mode accuracy suffers; without the bias it
 * matches the training-mode accuracy.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runBatchNorm } from './batch-norm.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const result = await runBatchNorm({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['without batch norm', 'with BatchNorm1d', 'BatchNorm1d, no bias before it']
 * data.dispose();
 * ```
 */
export function runBatchNorm(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'batch-norm',
    'Adam lr 0.001, inputs divided by 255 x 10,000: without vs with BatchNorm1d(1000)',
    [
      variant('without batch norm', () => new Sequential(new Linear(784, 1000), new ReLU(), new Linear(1000, 10))),
      variant('with BatchNorm1d', () => new Sequential(new Linear(784, 1000), new BatchNorm1d(1000), new ReLU(), new Linear(1000, 10))),
      variant(
        'BatchNorm1d, no bias before it',
        () => new Sequential(new Linear(784, 1000, { bias: false }), new BatchNorm1d(1000), new ReLU(), new Linear(1000, 10)),
      ),
    ],
    options,
  );
}
