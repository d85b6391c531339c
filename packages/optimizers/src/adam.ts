import { adamUpdate_, zerosLike, type Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { Optimizer, bindOptimizer, checkRange, given, stateTensor, type ImplementationOptions, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

const ADAM_PARAMS = ['params', 'lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'foreach', 'maximize', 'capturable', 'differentiable', 'fused'] as const;
const ADAM_KEYWORD_ONLY = ['foreach', 'maximize', 'capturable', 'differentiable', 'fused'] as const;
const ADAM = signature('new Adam', ADAM_PARAMS, { required: 1, keywordOnly: ADAM_KEYWORD_ONLY });
const ADAMW = signature('new AdamW', ADAM_PARAMS, { required: 1, keywordOnly: ADAM_KEYWORD_ONLY });
const ADAM_KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'];

/** Options of {@link Adam} and {@link AdamW} (PyTorch's keyword names in camelCase). */
export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr?: number;
  /** Coefficients of the running averages of the gradient and its square. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Term added to the denominator for numerical stability. Default 1e-8. */
  eps?: number;
  /** Weight decay: an L2 penalty for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay?: number;
  /** Use the AMSGrad variant (the maximum of past squared-gradient averages). Default false. */
  amsgrad?: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

/** A parameter group of {@link Adam} / {@link AdamW} with every option resolved. */
export type AdamGroup = ParamGroup<Required<AdamOptions>>;

function adamUpdate(param: Tensor, grad: Tensor, state: ParamState, group: AdamGroup, decoupled: boolean): void {
  const { lr, betas, eps, weightDecay, amsgrad, maximize } = group;
  const step = ((state.step as number | undefined) ?? 0) + 1;
  const expAvg = stateTensor(state, 'expAvg', () => zerosLike(param));
  const expAvgSq = stateTensor(state, 'expAvgSq', () => zerosLike(param));
  const maxExpAvgSq = amsgrad ? stateTensor(state, 'maxExpAvgSq', () => zerosLike(param)) : null;
  // one pass over memory where the backend has a fused kernel, PyTorch's op sequence otherwise
  adamUpdate_(param, grad, expAvg, expAvgSq, maxExpAvgSq, { lr, beta1: betas[0], beta2: betas[1], eps, weightDecay, decoupled, step, maximize });
  state.step = step;
}

function adamDefaults(a: Partial<Record<string, unknown>>, weightDecay: number): Required<AdamOptions> {
  const options = given<AdamOptions>(a, ADAM_KEYS);
  return {
    lr: options.lr ?? 1e-3,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
}

function validateAdam(name: string, group: AdamGroup): void {
  checkRange(name, 'epsilon value', group.eps, 0);
  if (!Array.isArray(group.betas) || group.betas.length !== 2) {
    throw new TypeError(`${name}: betas must be a pair [beta1, beta2], got ${String(group.betas)}`);
  }
  checkRange(name, 'beta parameter at index 0', group.betas[0], 0, 1);
  checkRange(name, 'beta parameter at index 1', group.betas[1], 0, 1);
  checkRange(name, 'weightDecay value', group.weightDecay, 0);
}

/**
 * Adam (PyTorch 1.13's `torch.optim.Adam`, its documented algorithm exactly): moving averages
 * `m`, `v` of the gradient and its square, bias-corrected; `weightDecay` is an L2 penalty added
 * to the gradient; `amsgrad` uses the running maximum of `v`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { Adam } from '@tensorgrad/optimizers';
 * const w = tensor([0], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.01 });
 * w.grad = tensor([-3]);
 * opt.step();
 * Math.round(w.itemSync() * 1e6) / 1e6; // 0.01
 * opt.dispose();
 * // PyTorch's positional form: Adam(params, 0.01, (0.8, 0.99))
 * new Adam([w], 0.01, [0.8, 0.99]).paramGroups[0]!.betas; // [0.8, 0.99]
 * ```
 */
export class Adam extends Optimizer<Required<AdamOptions>> {
  /** PyTorch's `Adam(params, lr=1e-3, betas, eps, weight_decay, amsgrad, *, …)` with the options by name… */
  constructor(params: ParamsInput<AdamOptions>, options?: AdamOptions & ImplementationOptions);
  /** …or positionally in PyTorch's order (lr, betas, eps, weightDecay, amsgrad); `maximize` by name only. */
  constructor(
    params: ParamsInput<AdamOptions>,
    lr?: number,
    betas?: [number, number],
    eps?: number,
    weightDecay?: number,
    amsgrad?: boolean,
    options?: AdamOptions & ImplementationOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindOptimizer(ADAM, args);
    super('Adam', a.params as ParamsInput<Required<AdamOptions>>, adamDefaults(a, 0));
  }

  protected override validateGroup(group: AdamGroup): void {
    super.validateGroup(group);
    validateAdam('Adam', group);
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: AdamGroup): void {
    adamUpdate(param, grad, state, group, false);
  }
}

/**
 * AdamW (PyTorch 1.13's `torch.optim.AdamW`): Adam with decoupled weight decay
 * `θ ← θ(1 − γλ)` applied before the Adam update; `weightDecay` defaults to 1e-2.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { AdamW } from '@tensorgrad/optimizers';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.5 });
 * w.grad = tensor([0]);
 * opt.step();
 * Math.round(w.itemSync() * 1e6) / 1e6; // 0.95
 * opt.dispose();
 * new AdamW([w], 0.1, [0.9, 0.999], 1e-8, 0).paramGroups[0]!.weightDecay; // 0
 * ```
 */
export class AdamW extends Optimizer<Required<AdamOptions>> {
  /** PyTorch's `AdamW(params, lr=1e-3, betas, eps, weight_decay=1e-2, amsgrad, *, …)` with the options by name… */
  constructor(params: ParamsInput<AdamOptions>, options?: AdamOptions & ImplementationOptions);
  /** …or positionally in PyTorch's order (lr, betas, eps, weightDecay, amsgrad); `maximize` by name only. */
  constructor(
    params: ParamsInput<AdamOptions>,
    lr?: number,
    betas?: [number, number],
    eps?: number,
    weightDecay?: number,
    amsgrad?: boolean,
    options?: AdamOptions & ImplementationOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindOptimizer(ADAMW, args);
    super('AdamW', a.params as ParamsInput<Required<AdamOptions>>, adamDefaults(a, 1e-2));
  }

  protected override validateGroup(group: AdamGroup): void {
    super.validateGroup(group);
    validateAdam('AdamW', group);
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: AdamGroup): void {
    adamUpdate(param, grad, state, group, true);
  }
}
