import { noGrad, prelu, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { factoryOptions, newParameter, num, positiveInt, type FactoryOptions } from './common.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of {@link PReLU}. */
export interface PReLUOptions extends FactoryOptions {
  /** Number of learned slopes: 1 (shared by every element, the default) or the input's channels (dim 1). */
  numParameters?: number;
  /** Initial value of every slope (default 0.25). */
  init?: number;
}

const PRELU = signature('new PReLU', ['numParameters', 'init', 'device', 'dtype']);

/**
 * Parametric ReLU (PyTorch's `nn.PReLU`): `x` where `x > 0`, else `a · x` with a learned slope
 * `a`: one shared by every element (`numParameters: 1`, the default) or one per channel (dim 1 of
 * the input, `numParameters: C`). The slopes are the parameter `weight` of shape
 * `[numParameters]`, filled with `init` (default 0.25), so PyTorch's state dicts load unchanged.
 * The forward is `prelu(input, weight)` of `@tensorgrad/tensor`.
 *
 * @example
 * ```ts
 * import { PReLU } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * await new PReLU().call(tensor([-4, 0, 2])).array(); // [-1, 0, 2]
 * const perChannel = new PReLU({ numParameters: 2, init: 0.5 });
 * perChannel.weight.shape; // [2]
 * await perChannel.call(tensor([[-2, 4]])).array(); // [[-1, 4]]
 * // PyTorch's positional form: PReLU(1, 0.1)
 * await new PReLU(1, 0.1).call(tensor([-10])).array(); // [-1]
 * ```
 */
export class PReLU extends Module {
  /** Number of slopes. */
  readonly numParameters: number;
  /** The slopes, `[numParameters]`. */
  declare weight: Parameter;

  /** PyTorch's `PReLU(num_parameters=1, init=0.25, device=None, dtype=None)`, positionally… */
  constructor(numParameters?: number, init?: number, options?: PReLUOptions);
  /** …or by name. */
  constructor(options?: PReLUOptions);
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(PRELU, args);
    const { dtype } = factoryOptions('PReLU', a);
    this.numParameters = positiveInt('PReLU', 'numParameters', a.numParameters ?? 1);
    const init = num('PReLU', 'init', a.init, 0.25);
    const weight = newParameter([this.numParameters], dtype);
    noGrad(() => weight.fill_(init));
    this.registerParameter('weight', weight);
  }

  override forward(input: Tensor): Tensor {
    return prelu(input, this.weight);
  }
}
