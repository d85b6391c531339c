import { zerosLike, type Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { Optimizer, bindOptimizer, checkRange, given, stateTensor, type ImplementationOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

// PyTorch 1.13: every argument of RMSprop is positional
const RMSPROP = signature('new RMSprop', ['params', 'lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable'], {
  required: 1,
});

/** Options of {@link RMSprop} (PyTorch's keyword names in camelCase). */
export interface RMSpropOptions {
  /** Learning rate. Default 1e-2. */
  lr?: number;
  /** Smoothing constant of the squared-gradient average. Default 0.99. */
  alpha?: number;
  /** Term added to the denominator for numerical stability. Default 1e-8. */
  eps?: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
  /** Momentum factor. Default 0. */
  momentum?: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. Default false. */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

/**
 * RMSprop (PyTorch 1.13's `torch.optim.RMSprop`, its documented algorithm exactly):
 * `v ← αv + (1−α)g²`, optionally centered (`v − ḡ²`), with optional momentum.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { RMSprop } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new RMSprop([w], { lr: 0.01, alpha: 0.75 });
 * w.grad = tensor([2]);
 * opt.step();
 * Math.round(w.itemSync() * 1e5) / 1e5; // 0.98
 * opt.dispose();
 * new RMSprop([w], 0.01, 0.75).paramGroups[0]!.alpha; // 0.75
 * ```
 */
export class RMSprop extends Optimizer<Required<RMSpropOptions>> {
  /** PyTorch's `RMSprop(params, lr=1e-2, alpha, eps, weight_decay, momentum, centered, …)` with the options by name… */
  constructor(params: ParamsInput<RMSpropOptions>, options?: RMSpropOptions & ImplementationOptions);
  /** …or positionally in PyTorch's order. */
  constructor(
    params: ParamsInput<RMSpropOptions>,
    lr?: number,
    alpha?: number,
    eps?: number,
    weightDecay?: number,
    momentum?: number,
    centered?: boolean,
    foreach?: boolean | null,
    maximize?: boolean,
    options?: RMSpropOptions & ImplementationOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindOptimizer(RMSPROP, args);
    const options = given<RMSpropOptions>(a, ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize']);
    super('RMSprop', a.params as ParamsInput<Required<RMSpropOptions>>, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected override validateGroup(group: ParamGroup<Required<RMSpropOptions>>): void {
    super.validateGroup(group);
    checkRange('RMSprop', 'epsilon value', group.eps, 0);
    checkRange('RMSprop', 'momentum value', group.momentum, 0);
    checkRange('RMSprop', 'weightDecay value', group.weightDecay, 0);
    checkRange('RMSprop', 'alpha value', group.alpha, 0);
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<Required<RMSpropOptions>>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    let g = maximize ? grad.neg() : grad;
    state.step = ((state.step as number | undefined) ?? 0) + 1;
    const squareAvg = stateTensor(state, 'squareAvg', () => zerosLike(param));
    if (weightDecay !== 0) g = g.add(param, { alpha: weightDecay });
    squareAvg.mul_(alpha).add_(g.mul(g), { alpha: 1 - alpha });
    let avg: Tensor;
    if (centered) {
      const gradAvg = stateTensor(state, 'gradAvg', () => zerosLike(param));
      gradAvg.mul_(alpha).add_(g, { alpha: 1 - alpha });
      avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
    } else {
      avg = squareAvg.sqrt();
    }
    avg = avg.add(eps);
    if (momentum > 0) {
      const buf = stateTensor(state, 'momentumBuffer', () => zerosLike(param));
      buf.mul_(momentum).add_(g.div(avg));
      param.add_(buf, { alpha: -lr });
    } else {
      param.add_(g.div(avg), { alpha: -lr });
    }
  }
}
