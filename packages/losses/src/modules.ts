import type { Tensor } from '@tensorgrad/tensor';
import { CallableInstance } from '@tensorgrad/tensor/backend';
import { checkOptionKeys, signature } from './args.js';
import { bindLoss, type Reduction } from './common.js';
import type { KLDivReduction } from './kl-div.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCELossOptions, type BCEWithLogitsLossOptions } from './binary.js';
import { crossEntropy, nllLoss, type CrossEntropyLossOptions, type NLLLossOptions } from './classification.js';
import { klDiv, type KLDivLossOptions } from './kl-div.js';
import {
  huberLoss,
  l1Loss,
  mseLoss,
  smoothL1Loss,
  type HuberLossOptions,
  type L1LossOptions,
  type MSELossOptions,
  type SmoothL1LossOptions,
} from './regression.js';

const MSELOSS_SIG = signature('new MSELoss', ['sizeAverage', 'reduce', 'reduction']);
const L1LOSS_SIG = signature('new L1Loss', ['sizeAverage', 'reduce', 'reduction']);
const SMOOTHL1LOSS_SIG = signature('new SmoothL1Loss', ['sizeAverage', 'reduce', 'reduction', 'beta']);
const HUBERLOSS_SIG = signature('new HuberLoss', ['reduction', 'delta']);
const BCELOSS_SIG = signature('new BCELoss', ['weight', 'sizeAverage', 'reduce', 'reduction']);
const BCEWITHLOGITSLOSS_SIG = signature('new BCEWithLogitsLoss', ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight']);
const CROSSENTROPYLOSS_SIG = signature('new CrossEntropyLoss', ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction', 'labelSmoothing']);
const NLLLOSS_SIG = signature('new NLLLoss', ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction']);
const KLDIVLOSS_SIG = signature('new KLDivLoss', ['sizeAverage', 'reduce', 'reduction', 'logTarget']);

/**
 * Base of the loss modules: a callable class (not a layers `Module`: it has no parameters) holding
 * the options of one loss function; `criterion(input, target)`, `forward(input, target)` and
 * `call(input, target)` compute it. Tensors among the options (`weight`, `posWeight`) are referenced, not owned: the caller
 * keeps them alive while the module is used and disposes them.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { MSELoss, LossModule } from '@tensorgrad/losses';
 * import type { Tensor } from '@tensorgrad/tensor';
 * const criterion: LossModule<object> = new MSELoss({ reduction: 'sum' });
 * await criterion(tensor([1, 2]), tensor([0, 0])).item(); // 5 — loss modules are callable, as in PyTorch
 * await criterion.call(tensor([1, 2]), tensor([0, 0])).item(); // 5
 * // a loss of your own: pass its option keys to refuse misspelt ones
 * class Scaled extends LossModule<{ scale?: number }> {
 *   constructor(options: { scale?: number } = {}) {
 *     super(options, ['scale']);
 *   }
 *   forward(input: Tensor, target: Tensor): Tensor {
 *     return input.sub(target).mul(this.options.scale ?? 1).sum();
 *   }
 * }
 * await new Scaled({ scale: 2 }).call(tensor([1, 2]), tensor([0, 0])).item(); // 6
 * ```
 */
export abstract class LossModule<O extends object> extends CallableInstance {
  /** The options passed to the loss function on every call. */
  readonly options: Readonly<O>;

  /**
   * Stores a copy of `options` (absent values dropped). With `validKeys`, refuses any other key
   * (naming the nearest valid one), as the losses of this package do.
   */
  constructor(options: O, validKeys?: readonly string[]) {
    super();
    if (validKeys) checkOptionKeys(`new ${new.target.name}`, options, validKeys);
    this.options = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== null)) as unknown as O;
  }

  /** Computes the loss of `input` against `target`. */
  abstract forward(input: Tensor, target: Tensor): Tensor;

  /** Same as {@link LossModule.forward} (PyTorch's `module(input, target)`). */
  call(input: Tensor, target: Tensor): Tensor {
    return this.forward(input, target);
  }
}

export interface LossModule<O extends object> {
  /** Calling a loss module runs {@link LossModule.call}: `criterion(pred, y)` (PyTorch's `loss_fn(pred, y)`). */
  (input: Tensor, target: Tensor): Tensor;
}

/**
 * Module form of {@link mseLoss}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { MSELoss } from '@tensorgrad/losses';
 * await new MSELoss().call(tensor([1, 2]), tensor([0, 0])).item(); // 2.5
 * await new MSELoss(null, null, 'sum').call(tensor([1, 2]), tensor([0, 0])).item(); // 5
 * ```
 */
export class MSELoss extends LossModule<MSELossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: MSELossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(sizeAverage?: null, reduce?: null, reduction?: Reduction, options?: MSELossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(MSELOSS_SIG, args) as MSELossOptions);
  }
  /** {@link mseLoss} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/**
 * Module form of {@link l1Loss}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { L1Loss } from '@tensorgrad/losses';
 * await new L1Loss({ reduction: 'sum' }).call(tensor([1, -2]), tensor([0, 0])).item(); // 3
 * ```
 */
export class L1Loss extends LossModule<L1LossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: L1LossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(sizeAverage?: null, reduce?: null, reduction?: Reduction, options?: L1LossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(L1LOSS_SIG, args) as L1LossOptions);
  }
  /** {@link l1Loss} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/**
 * Module form of {@link smoothL1Loss}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { SmoothL1Loss } from '@tensorgrad/losses';
 * await new SmoothL1Loss({ beta: 2 }).call(tensor([0, 0]), tensor([0.5, 3])).item(); // 1.03125
 * ```
 */
export class SmoothL1Loss extends LossModule<SmoothL1LossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: SmoothL1LossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(sizeAverage?: null, reduce?: null, reduction?: Reduction, beta?: number, options?: SmoothL1LossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(SMOOTHL1LOSS_SIG, args) as SmoothL1LossOptions);
  }
  /** {@link smoothL1Loss} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}

/**
 * Module form of {@link huberLoss}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { HuberLoss } from '@tensorgrad/losses';
 * await new HuberLoss({ delta: 2 }).call(tensor([0, 0]), tensor([0.5, 3])).item(); // 2.0625
 * ```
 */
export class HuberLoss extends LossModule<HuberLossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: HuberLossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(reduction?: Reduction, delta?: number, options?: HuberLossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(HUBERLOSS_SIG, args) as HuberLossOptions);
  }
  /** {@link huberLoss} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}

/**
 * Module form of {@link binaryCrossEntropy}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { BCELoss } from '@tensorgrad/losses';
 * await new BCELoss().call(tensor([0.5, 0.5]), tensor([1, 0])).item(); // 0.6931472
 * ```
 */
export class BCELoss extends LossModule<BCELossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: BCELossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(weight?: Tensor | null, sizeAverage?: null, reduce?: null, reduction?: Reduction, options?: BCELossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(BCELOSS_SIG, args) as BCELossOptions);
  }
  /** {@link binaryCrossEntropy} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}

/**
 * Module form of {@link binaryCrossEntropyWithLogits}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { BCEWithLogitsLoss } from '@tensorgrad/losses';
 * await new BCEWithLogitsLoss({ reduction: 'sum' }).call(tensor([0, 0]), tensor([1, 0])).item(); // 1.3862944
 * ```
 */
export class BCEWithLogitsLoss extends LossModule<BCEWithLogitsLossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: BCEWithLogitsLossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(weight?: Tensor | null, sizeAverage?: null, reduce?: null, reduction?: Reduction, posWeight?: Tensor | null, options?: BCEWithLogitsLossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(BCEWITHLOGITSLOSS_SIG, args) as BCEWithLogitsLossOptions);
  }
  /** {@link binaryCrossEntropyWithLogits} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

/**
 * Module form of {@link crossEntropy}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { CrossEntropyLoss } from '@tensorgrad/losses';
 * const criterion = new CrossEntropyLoss({ reduction: 'sum' });
 * await criterion.call(tensor([[0, 0], [0, 0]]), tensor([0, 1], { dtype: 'int32' })).item(); // 1.3862944
 * // PyTorch's positional form: CrossEntropyLoss(None, None, -100, None, 'sum')
 * const same = new CrossEntropyLoss(null, null, -100, null, 'sum');
 * await same.call(tensor([[0, 0], [0, 0]]), tensor([0, 1], { dtype: 'int32' })).item(); // 1.3862944
 * ```
 */
export class CrossEntropyLoss extends LossModule<CrossEntropyLossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: CrossEntropyLossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(weight?: Tensor | null, sizeAverage?: null, ignoreIndex?: number, reduce?: null, reduction?: Reduction, labelSmoothing?: number, options?: CrossEntropyLossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(CROSSENTROPYLOSS_SIG, args) as CrossEntropyLossOptions);
  }
  /** {@link crossEntropy} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/**
 * Module form of {@link nllLoss}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { NLLLoss } from '@tensorgrad/losses';
 * await new NLLLoss().call(tensor([[-1, -2], [-3, -4]]), tensor([1, 0], { dtype: 'int32' })).item(); // 2.5
 * ```
 */
export class NLLLoss extends LossModule<NLLLossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: NLLLossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(weight?: Tensor | null, sizeAverage?: null, ignoreIndex?: number, reduce?: null, reduction?: Reduction, options?: NLLLossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(NLLLOSS_SIG, args) as NLLLossOptions);
  }
  /** {@link nllLoss} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options);
  }
}

/**
 * Module form of {@link klDiv}.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { KLDivLoss } from '@tensorgrad/losses';
 * await new KLDivLoss({ reduction: 'sum' }).call(tensor([-1, -1]), tensor([1, 0])).item(); // 1
 * ```
 */
export class KLDivLoss extends LossModule<KLDivLossOptions> {
  /** PyTorch's keywords by name… */
  constructor(options?: KLDivLossOptions);
  /** …or positionally, in PyTorch's order. */
  constructor(sizeAverage?: null, reduce?: null, reduction?: KLDivReduction, logTarget?: boolean, options?: KLDivLossOptions);
  constructor(...args: unknown[]) {
    super(bindLoss(KLDIVLOSS_SIG, args) as KLDivLossOptions);
  }
  /** {@link klDiv} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
