/**
 * Chapter 3, "Impact of regularization": the plain network (10 epochs in the book) against the
 * same network with an L1 penalty (1e-4 · Σ|w|) and with the book's L2 penalty
 * (0.01 · Σ‖W‖₂, 30 epochs each), Adam (learning rate 0.001), scaled images, batch 32.
 */
import { Adam, add, tensor, type Tensor } from 'tensorgrad';
import { runVariants, type ExperimentOptions, type ExperimentResult, type VariantSpec } from './experiment.js';
import { bookMlp } from './models.js';
import type { Classifier, Penalty } from './train.js';

/**
 * The book's L1 term, `0.0001 * Σ_params torch.norm(param, 1)`: the sum of the absolute values of
 * every weight and bias, times `weight`.
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { l1Penalty } from './regularization.js';
 * const fc = new Linear(2, 1);
 * noGrad(() => {
 *   fc.weight.copy_(tensor([[1, -2]]));
 *   fc.bias!.copy_(tensor([-3]));
 * });
 * l1Penalty(1e-4)(fc).itemSync(); // 0.0006
 * ```
 */
export function l1Penalty(weight: number): Penalty {
  return (model: Classifier): Tensor => model.parameters().reduce<Tensor>((total, p) => add(total, p.abs().sum()), tensor(0)).mul(weight);
}

/**
 * The book's L2 term, `0.01 * Σ_params torch.norm(param, 2)`: note that the book adds each
 * parameter's Euclidean norm, not its squared norm (which is what weight decay adds).
 *
 * @example
 * ```ts
 * import { Linear, noGrad, tensor } from 'tensorgrad';
 * import { l2Penalty } from './regularization.js';
 * const fc = new Linear(2, 1);
 * noGrad(() => {
 *   fc.weight.copy_(tensor([[3, -4]]));
 *   fc.bias!.copy_(tensor([-2]));
 * });
 * l2Penalty(0.01)(fc).itemSync(); // 0.07
 * ```
 */
export function l2Penalty(weight: number): Penalty {
  return (model: Classifier): Tensor => model.parameters().reduce<Tensor>((total, p) => add(total, p.square().sum().sqrt()), tensor(0)).mul(weight);
}

function variant(name: string, epochs: number, penalty?: Penalty): VariantSpec {
  return {
    name,
    epochs,
    divisor: 255,
    setup: () => {
      const model = bookMlp();
      return { model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), ...(penalty ? { penalty } : {}) };
    },
  };
}

/**
 * Runs the regularisation experiment: variants `no regularization` (10 epochs in the book),
 * `L1 1e-4` and `L2 1e-2` (30 epochs each). The training loss includes the penalty, as in the
 * book; the validation loss is the plain cross-entropy.
 *
 * @example
 * ```ts
 * import { ImageSplits } from './data.js';
 * import { runRegularization } from './regularization.js';
 * const data = ImageSplits.synthetic({ train: 32, val: 16 });
 * const result = await runRegularization({ data, epochs: 1 });
 * result.variants.map((v) => v.name); // ['no regularization', 'L1 1e-4', 'L2 1e-2']
 * data.dispose();
 * ```
 */
export function runRegularization(options: ExperimentOptions = {}): Promise<ExperimentResult> {
  return runVariants(
    'regularization',
    'Adam lr 0.001, scaled inputs: no penalty vs L1 (1e-4 sum|w|) vs L2 (0.01 sum of norms)',
    [variant('no regularization', 10), variant('L1 1e-4', 30, l1Penalty(1e-4)), variant('L2 1e-2', 30, l2Penalty(1e-2))],
    options,
  );
}
