import { groupNorm, instanceNorm, ones, tensor, zeros, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature } from './args.js';
import { factoryOptions, flag, newParameter, num, positiveInt, type FactoryOptions } from './common.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of {@link InstanceNorm2d} (PyTorch's keywords). */
export interface InstanceNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-statistics factor (default 0.1). */
  momentum?: number;
  /** Learn a per-channel `weight` and `bias` (default `false`). */
  affine?: boolean;
  /** Keep running statistics, used in eval mode (default `false`: instance statistics always). */
  trackRunningStats?: boolean;
}

const INSTANCE_NORM2D = signature('new InstanceNorm2d', ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats', 'device', 'dtype'], { required: 1 });

/**
 * Instance normalisation over `[N, C, H, W]` (or unbatched `[C, H, W]`) inputs (PyTorch's
 * `nn.InstanceNorm2d`, style transfer's normalisation): each channel of each sample is
 * normalised with its own statistics. With `affine` it learns `weight` (ones) and `bias`
 * (zeros) of shape `[C]`; with `trackRunningStats` it keeps `running_mean`/`running_var`
 * (updated in training mode with the batch average of the instance statistics) and uses them
 * in eval mode. `num_batches_tracked` is registered as in PyTorch but, as there, never counts.
 *
 * @example
 * ```ts
 * import { InstanceNorm2d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const norm = new InstanceNorm2d(1, { eps: 0 });
 * await norm.call(tensor([[[[1, 3], [1, 3]]]])).array(); // [[[[-1, 1], [-1, 1]]]]
 * Object.keys(new InstanceNorm2d(3, { affine: true, trackRunningStats: true }).stateDict());
 * // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 * ```
 */
export class InstanceNorm2d extends Module {
  /** Number of channels `C`. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Running-statistics factor. */
  readonly momentum: number;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** `[C]`, ones at init, or `null` without `affine`. */
  declare weight: Parameter | null;
  /** `[C]`, zeros at init, or `null` without `affine`. */
  declare bias: Parameter | null;
  /** Buffer `running_mean` `[C]`, or `null` without `trackRunningStats`. */
  declare running_mean: Tensor | null;
  /** Buffer `running_var` `[C]`, or `null` without `trackRunningStats`. */
  declare running_var: Tensor | null;
  /** Buffer `num_batches_tracked` (0-d int32), or `null` without `trackRunningStats`. */
  declare num_batches_tracked: Tensor | null;

  /** The number of channels positionally, the other options by name… */
  constructor(numFeatures: number, options?: InstanceNormLayerOptions);
  /** …or positionally in PyTorch's order (`new InstanceNorm2d(3, 1e-5, 0.1, true)`)… */
  constructor(numFeatures: number, eps?: number, momentum?: number, affine?: boolean, trackRunningStats?: boolean, options?: InstanceNormLayerOptions);
  /** …or everything by name. */
  constructor(options: InstanceNormLayerOptions & { numFeatures: number });
  constructor(...args: unknown[]) {
    super();
    const name = 'InstanceNorm2d';
    const a = parseArgs(INSTANCE_NORM2D, args);
    const dtype = factoryOptions(name, a).dtype ?? 'float32';
    const c = positiveInt(name, 'numFeatures', a.numFeatures);
    this.numFeatures = c;
    this.eps = num(name, 'eps', a.eps, 1e-5);
    this.momentum = num(name, 'momentum', a.momentum, 0.1);
    this.affine = flag(name, 'affine', a.affine, false);
    this.trackRunningStats = flag(name, 'trackRunningStats', a.trackRunningStats, false);
    this.registerParameter('weight', this.affine ? ones_(newParameter([c], dtype)) : null);
    this.registerParameter('bias', this.affine ? zeros_(newParameter([c], dtype)) : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([c], { dtype }) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([c], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? tensor(0, { dtype: 'int32' }) : null);
  }

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 3 && input.ndim !== 4) {
      throw new RangeError(`InstanceNorm2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape [${input.shape.join(', ')}]`);
    }
    const cdim = input.ndim - 3;
    if (input.shape[cdim] !== this.numFeatures && (this.affine || this.trackRunningStats)) {
      throw new RangeError(
        `InstanceNorm2d: expected the input's size at dim ${cdim} to match numFeatures (${this.numFeatures}), got input of shape [${input.shape.join(', ')}]`,
      );
    }
    const batched = input.ndim === 4 ? input : input.unsqueeze(0);
    const out = instanceNorm(batched, this.running_mean, this.running_var, this.weight, this.bias, {
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum,
      eps: this.eps,
    });
    if (batched === input) return out;
    const squeezed = out.squeeze(0);
    batched.dispose();
    out.dispose();
    return squeezed;
  }
}

/** Options of {@link GroupNorm} (PyTorch's keywords). */
export interface GroupNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel `weight` (ones) and `bias` (zeros) (default `true`). */
  affine?: boolean;
}

const GROUP_NORM = signature('new GroupNorm', ['numGroups', 'numChannels', 'eps', 'affine', 'device', 'dtype'], { required: 2 });

/**
 * Group normalisation (PyTorch's `nn.GroupNorm`): the channels of an `[N, C, *]` input are
 * split into `numGroups` groups normalised separately per sample, then scaled and shifted per
 * channel by `weight` and `bias` (`[C]`, with `affine`). The same in training and eval mode.
 *
 * @example
 * ```ts
 * import { GroupNorm } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const gn = new GroupNorm(2, 4, { eps: 0 });
 * await gn.call(tensor([[[1], [3], [10], [30]]])).reshape([4]).array(); // [-1, 1, -1, 1]
 * gn.weight!.shape; // [4]
 * new GroupNorm(1, 4, 1e-3, false).weight; // null
 * ```
 */
export class GroupNorm extends Module {
  /** Number of groups. */
  readonly numGroups: number;
  /** Number of channels `C`. */
  readonly numChannels: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** `[C]`, ones at init, or `null` without `affine`. */
  declare weight: Parameter | null;
  /** `[C]`, zeros at init, or `null` without `affine`. */
  declare bias: Parameter | null;

  /** The group and channel counts positionally, the other options by name… */
  constructor(numGroups: number, numChannels: number, options?: GroupNormLayerOptions);
  /** …or positionally in PyTorch's order (`new GroupNorm(2, 4, 1e-5, false)`)… */
  constructor(numGroups: number, numChannels: number, eps?: number, affine?: boolean, options?: GroupNormLayerOptions);
  /** …or everything by name. */
  constructor(options: GroupNormLayerOptions & { numGroups: number; numChannels: number });
  constructor(...args: unknown[]) {
    super();
    const name = 'GroupNorm';
    const a = parseArgs(GROUP_NORM, args);
    const dtype = factoryOptions(name, a).dtype ?? 'float32';
    this.numGroups = positiveInt(name, 'numGroups', a.numGroups);
    this.numChannels = positiveInt(name, 'numChannels', a.numChannels);
    if (this.numChannels % this.numGroups !== 0) {
      throw new RangeError(`GroupNorm: numChannels must be divisible by numGroups, got numChannels ${this.numChannels} and numGroups ${this.numGroups}`);
    }
    this.eps = num(name, 'eps', a.eps, 1e-5);
    this.affine = flag(name, 'affine', a.affine, true);
    this.registerParameter('weight', this.affine ? ones_(newParameter([this.numChannels], dtype)) : null);
    this.registerParameter('bias', this.affine ? zeros_(newParameter([this.numChannels], dtype)) : null);
  }

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, { eps: this.eps });
  }
}
