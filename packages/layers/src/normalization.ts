import { batchNorm, layerNorm, noGrad, ones, tensor, zeros, type Tensor } from '@tensorgrad/tensor';
import { newParameter, positiveInt, type FactoryOptions } from './common.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of {@link BatchNorm1d} and {@link BatchNorm2d} (PyTorch's keywords). */
export interface BatchNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-statistics factor (default 0.1); `null` = cumulative moving average. */
  momentum?: number | null;
  /** Learn `weight` and `bias` (default `true`). */
  affine?: boolean;
  /** Keep running statistics (default `true`); without them batch statistics are always used. */
  trackRunningStats?: boolean;
}

abstract class BatchNormBase extends Module {
  /** Number of channels `C`. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Running-statistics factor, `null` for a cumulative average. */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** `[C]`, ones at init, or `null` without `affine`. */
  declare weight: Parameter | null;
  /** `[C]`, zeros at init, or `null` without `affine`. */
  declare bias: Parameter | null;
  /** Buffer `running_mean` `[C]`. */
  declare running_mean: Tensor | null;
  /** Buffer `running_var` `[C]`. */
  declare running_var: Tensor | null;
  /** Buffer `num_batches_tracked`: a 0-d int32 tensor. */
  declare num_batches_tracked: Tensor | null;

  protected abstract checkInput(input: Tensor): void;

  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super();
    const name = this.constructor.name;
    this.numFeatures = positiveInt(name, 'numFeatures', numFeatures);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? 'float32';
    this.registerParameter('weight', this.affine ? ones_(newParameter([numFeatures], dtype)) : null);
    this.registerParameter('bias', this.affine ? zeros_(newParameter([numFeatures], dtype)) : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? tensor(0, { dtype: 'int32' }) : null);
  }

  override forward(input: Tensor): Tensor {
    this.checkInput(input);
    const useBatch = this.training || !this.running_mean;
    let numBatchesTracked: number | undefined;
    if (this.training && this.num_batches_tracked) {
      const nbt = this.num_batches_tracked;
      noGrad(() => nbt.add_(1));
      if (this.momentum === null) numBatchesTracked = nbt.itemSync() as number;
    }
    return batchNorm(input, this.running_mean, this.running_var, this.weight, this.bias, {
      training: useBatch,
      momentum: this.momentum,
      eps: this.eps,
      ...(this.momentum === null && numBatchesTracked !== undefined ? { numBatchesTracked } : {}),
    });
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` inputs (PyTorch's `nn.BatchNorm1d`). In
 * training mode the batch statistics are used and the running ones updated (and
 * `num_batches_tracked` incremented); in eval mode the running statistics are used.
 *
 * @example
 * ```ts
 * import { BatchNorm1d } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const bn = new BatchNorm1d(2, { eps: 0 });
 * await bn.call(tensor([[1, 10], [3, 30]])).array(); // [[-1, -1], [1, 1]]
 * await bn.running_mean!.array(); // [0.2, 2]
 * bn.num_batches_tracked!.itemSync(); // 1
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInput(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`BatchNorm1d: expected a 2-D [N, C] or 3-D [N, C, L] input, got shape [${input.shape.join(', ')}]`);
  }
}

/**
 * Batch normalisation over `[N, C, H, W]` inputs (PyTorch's `nn.BatchNorm2d`).
 *
 * @example
 * ```ts
 * import { BatchNorm2d } from '@tensorgrad/layers';
 * import { randn } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const bn = new BatchNorm2d(64, { momentum: 0.1 });
 * Object.keys(bn.stateDict()); // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 * bn.eval().call(randn([2, 64, 4, 4])).shape; // [2, 64, 4, 4]
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInput(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`BatchNorm2d: expected a 4-D [N, C, H, W] input, got shape [${input.shape.join(', ')}]`);
  }
}

/** Options of {@link LayerNorm}. */
export interface LayerNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn `weight` (ones) and `bias` (zeros) of shape `normalizedShape` (default `true`). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`: learn the bias too (default `true`). */
  bias?: boolean;
}

/**
 * Layer normalisation over the last dims (PyTorch's `nn.LayerNorm`).
 *
 * @example
 * ```ts
 * import { LayerNorm } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const ln = new LayerNorm(2, { eps: 0 });
 * await ln.call(tensor([[1, 3], [10, 30]])).array(); // [[-1, 1], [-1, 1]]
 * ```
 */
export class LayerNorm extends Module {
  /** The normalised trailing shape. */
  readonly normalizedShape: number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether `weight`/`bias` are learned. */
  readonly elementwiseAffine: boolean;
  /** Shape `normalizedShape`, or `null`. */
  declare weight: Parameter | null;
  /** Shape `normalizedShape`, or `null`. */
  declare bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    for (const d of this.normalizedShape) positiveInt('LayerNorm', 'each normalizedShape entry', d);
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const affine = this.elementwiseAffine;
    this.registerParameter('weight', affine ? ones_(newParameter(this.normalizedShape, options.dtype)) : null);
    this.registerParameter('bias', affine && options.bias !== false ? zeros_(newParameter(this.normalizedShape, options.dtype)) : null);
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, { eps: this.eps });
  }
}
