/**
 * Chapter 3, "Impact of dropout": `Dropout(0.25)` before each linear layer against the plain
 * network, Adam (learning rate 0.001), scaled images, batch 32, 30 epochs in the book.
 */
import { Adam, Dropout, Linear, ReLU, Sequential } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSpec } from './experiment.js';

function variant(name: string, build: () => Sequential): VariantSpec {
  return {
    name,
    epochs: 30,
    divisor: 255,
    setup: () => {
      const model = build();
      return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }) };
    },
  };
}

/**
 * Runs the dropout experiment: variants `with dropout 0.25` and `without dropout`, 30 epochs
 * each in the book. Accuracies are measured in eval mode, where dropout is the identity.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runDropout } from './dropout.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const result = await runDropout({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['with dropout 0.25', 'without dropout']
 * data.dispose();
 * ```
 */
export function runDropout(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'dropout',
    'Adam lr 0.001, scaled inputs: Dropout(0.25) before each Linear vs none',
    [
      variant(
        'with dropout 0.25',
        () => new Sequential(new Dropout(0.25), new Linear(28 * 28, 1000), new ReLU(), new Dropout(0.25), new Linear(1000, 10)),
      ),
      variant('without dropout', () => new Sequential(new Linear(28 * 28, 1000), new ReLU(), new Linear(1000, 10))),
    ],
    options,
  );
}
