/**
 * Chapter 3, "Impact of building a deeper neural network": no hidden layer, one and two hidden
 * layers of 1,000 units, Adam (learning rate 0.001), scaled images, batch 32, 5 epochs.
 */
import { Adam, Linear, ReLU, Sequential } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSpec } from './experiment.js';

function variant(name: string, build: () => Sequential): VariantSpec {
  return {
    name,
    epochs: 5,
    divisor: 255,
    setup: () => {
      const model = build();
      return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }) };
    },
  };
}

/**
 * Runs the depth experiment: variants `no hidden layer`, `1 hidden layer`, `2 hidden layers`,
 * 5 epochs each in the book.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runDeeperNetworks } from './deeper.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const result = await runDeeperNetworks({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['no hidden layer', '1 hidden layer', '2 hidden layers']
 * data.dispose();
 * ```
 */
export function runDeeperNetworks(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'deeper',
    'Adam lr 0.001, scaled inputs: 0, 1 and 2 hidden layers of 1,000 units',
    [
      variant('no hidden layer', () => new Sequential(new Linear(28 * 28, 10))),
      variant('1 hidden layer', () => new Sequential(new Linear(28 * 28, 1000), new ReLU(), new Linear(1000, 10))),
      variant(
        '2 hidden layers',
        () => new Sequential(new Linear(28 * 28, 1000), new ReLU(), new Linear(1000, 1000), new ReLU(), new Linear(1000, 10)),
      ),
    ],
    options,
  );
}
