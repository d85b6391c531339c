import { fullLike, type Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { Optimizer, bindOptimizer, checkRange, given, stateTensor, type ImplementationOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

const ADAGRAD = signature('new Adagrad', ['params', 'lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'foreach', 'maximize', 'differentiable'], {
  required: 1,
  keywordOnly: ['maximize', 'differentiable'],
});

/** Options of {@link Adagrad} (PyTorch's keyword names in camelCase). */
export interface AdagradOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number;
  /** Learning-rate decay: the step size is `lr / (1 + (t−1)·lrDecay)`. Default 0. */
  lrDecay?: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
  /** Initial value of the sum of squared gradients. Default 0. */
  initialAccumulatorValue?: number;
  /** Term added to the denominator for numerical stability. Default 1e-10. */
  eps?: number;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

/**
 * Adagrad (PyTorch 1.13's `torch.optim.Adagrad`, its documented algorithm exactly):
 * `s ← s + g²; θ ← θ − γ̃ g / (√s + ε)` with `γ̃ = γ / (1 + (t−1)η)`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Adagrad } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new Adagrad([w], { lr: 0.5 });
 * w.grad = tensor([4]);
 * opt.step();
 * Math.round(w.itemSync() * 1e6) / 1e6; // 0.5
 * opt.dispose();
 * new Adagrad([w], 0.5, 0.1).paramGroups[0]!.lrDecay; // 0.1
 * ```
 */
export class Adagrad extends Optimizer<Required<AdagradOptions>> {
  /** PyTorch's `Adagrad(params, lr=1e-2, lr_decay, weight_decay, initial_accumulator_value, eps, foreach, *, …)` with the options by name… */
  constructor(params: ParamsInput<AdagradOptions>, options?: AdagradOptions & ImplementationOptions);
  /** …or positionally in PyTorch's order; `maximize` by name only. */
  constructor(
    params: ParamsInput<AdagradOptions>,
    lr?: number,
    lrDecay?: number,
    weightDecay?: number,
    initialAccumulatorValue?: number,
    eps?: number,
    foreach?: boolean | null,
    options?: AdagradOptions & ImplementationOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindOptimizer(ADAGRAD, args);
    const options = given<AdagradOptions>(a, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize']);
    super('Adagrad', a.params as ParamsInput<Required<AdagradOptions>>, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    });
  }

  protected override validateGroup(group: ParamGroup<Required<AdagradOptions>>): void {
    super.validateGroup(group);
    checkRange('Adagrad', 'lrDecay value', group.lrDecay, 0);
    checkRange('Adagrad', 'weightDecay value', group.weightDecay, 0);
    checkRange('Adagrad', 'initialAccumulatorValue', group.initialAccumulatorValue, 0);
    checkRange('Adagrad', 'epsilon value', group.eps, 0);
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<Required<AdagradOptions>>): void {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = group;
    const sum = stateTensor(state, 'sum', () => fullLike(param, initialAccumulatorValue));
    const step = ((state.step as number | undefined) ?? 0) + 1;
    state.step = step;
    let g = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) g = g.add(param, { alpha: weightDecay });
    const clr = lr / (1 + (step - 1) * lrDecay);
    sum.add_(g.mul(g));
    const std = sum.sqrt().add(eps);
    param.add_(g.div(std), { alpha: -clr });
  }
}
