import type { Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { factoryOptions, flag, newParameter, positiveInt, resetLinearLike, type FactoryOptions } from './common.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

const LINEAR = signature('new Linear', ['inFeatures', 'outFeatures', 'bias', 'device', 'dtype'], { required: 2 });

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
 * new Linear(4, 2, false).bias; // null
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

  /** PyTorch's `Linear(in_features, out_features, bias=True)`: the optional arguments by name… */
  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions);
  /** …or positionally, as in PyTorch (`new Linear(2, 2, false)`). */
  constructor(inFeatures: number, outFeatures: number, bias?: boolean, options?: LinearOptions);
  /** Every argument by name. */
  constructor(options: LinearOptions & { inFeatures: number; outFeatures: number });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(LINEAR, args);
    const { dtype } = factoryOptions('Linear', a);
    const inFeatures = positiveInt('Linear', 'inFeatures', a.inFeatures);
    const outFeatures = positiveInt('Linear', 'outFeatures', a.outFeatures);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bias = flag('Linear', 'bias', a.bias, true);
    this.registerParameter('weight', newParameter([outFeatures, inFeatures], dtype));
    this.registerParameter('bias', bias ? newParameter([outFeatures], dtype) : null);
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
