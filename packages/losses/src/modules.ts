import type { Tensor } from '@tensorgrad/tensor';
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

/**
 * Base of the loss modules: a plain class (not a layers `Module`: it has no parameters) holding
 * the options of one loss function; `forward(input, target)` and `call(input, target)` compute
 * it. Tensors among the options (`weight`, `posWeight`) are referenced, not owned: the caller
 * keeps them alive while the module is used and disposes them.
 *
 * @example
 * ```ts
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * import { MSELoss, type LossModule } from '@tensorgrad/losses';
 * const criterion: LossModule<object> = new MSELoss({ reduction: 'sum' });
 * await criterion.call(tensor([1, 2]), tensor([0, 0])).item(); // 5
 * ```
 */
export abstract class LossModule<O extends object> {
  /** The options passed to the loss function on every call. */
  readonly options: Readonly<O>;

  /** Stores a copy of `options`. */
  constructor(options: O) {
    this.options = { ...options };
  }

  /** Computes the loss of `input` against `target`. */
  abstract forward(input: Tensor, target: Tensor): Tensor;

  /** Same as {@link LossModule.forward} (PyTorch's `module(input, target)`). */
  call(input: Tensor, target: Tensor): Tensor {
    return this.forward(input, target);
  }
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
 * ```
 */
export class MSELoss extends LossModule<MSELossOptions> {
  /** Stores the options. */
  constructor(options: MSELossOptions = {}) {
    super(options);
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
  /** Stores the options. */
  constructor(options: L1LossOptions = {}) {
    super(options);
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
  /** Stores the options. */
  constructor(options: SmoothL1LossOptions = {}) {
    super(options);
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
  /** Stores the options. */
  constructor(options: HuberLossOptions = {}) {
    super(options);
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
  /** Stores the options (`weight` is referenced, not owned). */
  constructor(options: BCELossOptions = {}) {
    super(options);
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
  /** Stores the options (`weight` and `posWeight` are referenced, not owned). */
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super(options);
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
 * ```
 */
export class CrossEntropyLoss extends LossModule<CrossEntropyLossOptions> {
  /** Stores the options (`weight` is referenced, not owned). */
  constructor(options: CrossEntropyLossOptions = {}) {
    super(options);
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
  /** Stores the options (`weight` is referenced, not owned). */
  constructor(options: NLLLossOptions = {}) {
    super(options);
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
  /** Stores the options. */
  constructor(options: KLDivLossOptions = {}) {
    super(options);
  }
  /** {@link klDiv} with the stored options. */
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
