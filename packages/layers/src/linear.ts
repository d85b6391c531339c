import type { Tensor } from '@tensorgrad/tensor';
import { newParameter, positiveInt, resetLinearLike, type FactoryOptions } from './common.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of {@link Linear}. */
export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias (default `true`). */
  bias?: boolean;
}

/**
 * Fully connected layer `y = x Wᵀ + b` (PyTorch's `nn.Linear`): `weight` `[outFeatures,
 * inFeatures]`, `bias` `[outFeatures]`; input `[…, inFeatures]`. Default init as PyTorch:
 * Kaiming-uniform (a = √5) weight, U(±1/√inFeatures) bias.
 *
 * @example
 * ```ts
 * import { Linear } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const fc = new Linear(784, 10);
 * fc.weight.shape; // [10, 784]
 * fc.call(randn([32, 784])).shape; // [32, 10]
 * new Linear(4, 2, { bias: false }).bias; // null
 * ```
 */
export class Linear extends Module {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  declare weight: Parameter;
  /** `[outFeatures]`, or `null` with `bias: false`. */
  declare bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = positiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = positiveInt('Linear', 'outFeatures', outFeatures);
    this.registerParameter('weight', newParameter([outFeatures, inFeatures], options.dtype));
    this.registerParameter('bias', options.bias === false ? null : newParameter([outFeatures], options.dtype));
    resetLinearLike(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    if (input.shape[input.ndim - 1] !== this.inFeatures) {
      throw new RangeError(`Linear: expected input with last dim ${this.inFeatures} (inFeatures), got shape [${input.shape.join(', ')}]`);
    }
    const y = input.matmul(this.weight.transpose(0, 1));
    return this.bias ? y.add(this.bias) : y;
  }
}
