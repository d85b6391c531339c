import type { Tensor } from '@tensorgrad/tensor';
import { signature } from './args.js';
import { Optimizer, bindOptimizer, type ImplementationOptions, checkRange, given, stateTensor, type ParamGroup, type ParamState, type ParamsInput } from './optimizer.js';

const SGD_SIG = signature('new SGD', ['params', 'lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize', 'foreach', 'differentiable'], {
  required: 1,
  keywordOnly: ['maximize', 'foreach', 'differentiable'],
});

/** Options of {@link SGD} (PyTorch's keyword names in camelCase). */
export interface SGDOptions {
  /** Learning rate (required, as in PyTorch). */
  lr: number;
  /** Momentum factor. Default 0. */
  momentum?: number;
  /** Dampening for momentum. Default 0. */
  dampening?: number;
  /** L2 penalty added to the gradient. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs `momentum > 0` and `dampening = 0`). Default false. */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it. Default false. */
  maximize?: boolean;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay,
 * following PyTorch 1.13's `torch.optim.SGD` update rule exactly:
 * `g ← g + λθ; b ← μb + (1−τ)g (b = g at the first step); g ← g + μb (Nesterov) or b; θ ← θ − γg`.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SGD } from '@tensorgrad/optimizers';
 * const w = tensor([1, 1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 2; i++) {
 *   w.grad = tensor([1, 2]);
 *   opt.step();
 * }
 * Array.from(w.dataSync(), (v) => Math.round(v * 1000) / 1000); // [0.71, 0.42]
 * opt.dispose();
 * // PyTorch's positional form: SGD(params, 0.1, 0.9, 0, 1e-4, True)
 * const nesterov = new SGD([w], 0.1, 0.9, 0, 1e-4, true);
 * [nesterov.paramGroups[0]!.weightDecay, nesterov.paramGroups[0]!.nesterov]; // [0.0001, true]
 * ```
 */
export class SGD extends Optimizer<Required<SGDOptions>> {
  /** PyTorch's `SGD(params, lr, …)` with the options by name… */
  constructor(params: ParamsInput<SGDOptions>, options: SGDOptions & ImplementationOptions);
  /** …or the learning rate positionally and the rest by name… */
  constructor(params: ParamsInput<SGDOptions>, lr: number, options?: Omit<SGDOptions, 'lr'> & ImplementationOptions);
  /** …or positionally in PyTorch's order (lr, momentum, dampening, weightDecay, nesterov); `maximize` by name only. */
  constructor(
    params: ParamsInput<SGDOptions>,
    lr: number,
    momentum?: number,
    dampening?: number,
    weightDecay?: number,
    nesterov?: boolean,
    options?: Omit<SGDOptions, 'lr'> & ImplementationOptions,
  );
  constructor(...args: unknown[]) {
    const a = bindOptimizer(SGD_SIG, args);
    if (a.lr === undefined) {
      throw new TypeError('SGD: the learning rate is required (PyTorch has no default); pass it in the options, e.g. new SGD(params, { lr: 0.01 })');
    }
    const o = given<SGDOptions>(a, ['momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize']);
    super('SGD', a.params as ParamsInput<Required<SGDOptions>>, {
      lr: a.lr as number,
      momentum: o.momentum ?? 0,
      dampening: o.dampening ?? 0,
      weightDecay: o.weightDecay ?? 0,
      nesterov: o.nesterov ?? false,
      maximize: o.maximize ?? false,
    });
  }

  protected override validateGroup(group: ParamGroup<Required<SGDOptions>>): void {
    super.validateGroup(group);
    checkRange('SGD', 'momentum value', group.momentum, 0);
    checkRange('SGD', 'weightDecay value', group.weightDecay, 0);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new RangeError(`SGD: Nesterov momentum requires a momentum > 0 and zero dampening (got momentum ${group.momentum}, dampening ${group.dampening})`);
    }
  }

  protected updateParam(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<Required<SGDOptions>>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let d = maximize ? grad.neg() : grad;
    if (weightDecay !== 0) d = d.add(param, { alpha: weightDecay });
    if (momentum !== 0) {
      let buf: Tensor;
      if (state.momentumBuffer === undefined) {
        const src = d;
        buf = stateTensor(state, 'momentumBuffer', () => src.clone());
      } else {
        buf = state.momentumBuffer as Tensor;
        buf.mul_(momentum).add_(d, { alpha: 1 - dampening });
      }
      d = nesterov ? d.add(buf, { alpha: momentum }) : buf;
    }
    param.add_(d, { alpha: -lr });
  }
}
