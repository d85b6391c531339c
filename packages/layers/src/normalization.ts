import { batchNorm, div, layerNorm, noGrad, ones, tensor, tidy, zeros, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, signature, type Signature } from './args.js';
import { factoryOptions, flag, newParameter, num, positiveInt, type FactoryOptions } from './common.js';
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

const BATCH_NORM_PARAMS = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats', 'device', 'dtype'] as const;
type BatchNormParam = (typeof BATCH_NORM_PARAMS)[number];
const BATCH_NORM1D = signature('new BatchNorm1d', BATCH_NORM_PARAMS, { required: 1 });
const BATCH_NORM2D = signature('new BatchNorm2d', BATCH_NORM_PARAMS, { required: 1 });
const LAYER_NORM = signature('new LayerNorm', ['normalizedShape', 'eps', 'elementwiseAffine', 'bias', 'device', 'dtype'], { required: 1 });

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

  /** The number of channels positionally, the other options by name… */
  constructor(numFeatures: number, options?: BatchNormLayerOptions);
  /** …or positionally in PyTorch's order (`new BatchNorm2d(3, 1e-3)`: eps 1e-3)… */
  constructor(numFeatures: number, eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean, options?: BatchNormLayerOptions);
  /** …or everything by name. */
  constructor(options: BatchNormLayerOptions & { numFeatures: number });
  constructor(...args: unknown[]) {
    super();
    const name = new.target.name;
    const sig: Signature<BatchNormParam> = name === 'BatchNorm1d' ? BATCH_NORM1D : name === 'BatchNorm2d' ? BATCH_NORM2D : signature(`new ${name}`, BATCH_NORM_PARAMS, { required: 1 });
    const a = parseArgs(sig, args);
    const dtype = factoryOptions(name, a).dtype ?? 'float32';
    const numFeatures = positiveInt(name, 'numFeatures', a.numFeatures);
    this.numFeatures = numFeatures;
    this.eps = num(name, 'eps', a.eps, 1e-5);
    this.momentum = a.momentum === null ? null : num(name, 'momentum', a.momentum, 0.1);
    this.affine = flag(name, 'affine', a.affine, true);
    this.trackRunningStats = flag(name, 'trackRunningStats', a.trackRunningStats, true);
    this.registerParameter('weight', this.affine ? ones_(newParameter([numFeatures], dtype)) : null);
    this.registerParameter('bias', this.affine ? zeros_(newParameter([numFeatures], dtype)) : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? tensor(0, { dtype: 'int32' }) : null);
    this.#hostCountOf = this.num_batches_tracked;
  }

  // The batch count on the host, so the cumulative average (momentum: null) never reads the
  // num_batches_tracked buffer synchronously, which asynchronous backends (webgpu) cannot do.
  // `hostCountOf` is the buffer tensor the count mirrors: a buffer replaced behind our back
  // (module.to(), direct assignment) invalidates it. `pendingRead` is the buffer an asynchronous
  // read-back was started for and `sinceRead` the increments queued after that read.
  #hostCount: number | null = 0;
  #hostCountOf: Tensor | null = null;
  #pendingRead: Tensor | null = null;
  #sinceRead = 0;

  /** @internal Refreshes the host-side batch count from a loaded `num_batches_tracked`. */
  override _afterLoadStateDict(loaded: ReadonlyMap<string, Tensor>): void {
    const source = loaded.get('num_batches_tracked');
    const nbt = this.num_batches_tracked;
    if (!source || !nbt) return;
    // A state dict read from a file lives on a backend that reads synchronously (the CPU): take
    // the count from it once, at load time. Otherwise read the buffer back asynchronously.
    if (source.backendInstance.readSync) {
      this.#hostCount = Number(source.itemSync());
      this.#hostCountOf = nbt;
      this.#pendingRead = null;
    } else {
      this.#hostCount = null;
      this.#startReadBack(nbt);
    }
  }

  #startReadBack(nbt: Tensor): void {
    this.#pendingRead = nbt;
    this.#sinceRead = 0;
    void nbt.item().then(
      (v) => {
        if (this.#pendingRead !== nbt) return;
        this.#pendingRead = null;
        if (this.num_batches_tracked === nbt) {
          this.#hostCount = Number(v) + this.#sinceRead;
          this.#hostCountOf = nbt;
        }
      },
      () => {
        // the buffer was disposed or replaced before the read landed: forget it, resync later
        if (this.#pendingRead === nbt) this.#pendingRead = null;
      },
    );
  }

  // The count before this batch, or null while it is unknown on the host (an asynchronous read-back
  // is then in flight). Reads synchronously only after the buffer changed behind our back, and
  // only on a backend that can.
  #countBefore(nbt: Tensor): number | null {
    if (this.#hostCountOf === nbt && this.#hostCount !== null) return this.#hostCount;
    if (nbt.backendInstance.readSync) {
      this.#hostCount = Number(nbt.itemSync());
      this.#hostCountOf = nbt;
      return this.#hostCount;
    }
    this.#hostCount = null;
    if (this.#pendingRead !== nbt) this.#startReadBack(nbt);
    return null;
  }

  override forward(input: Tensor): Tensor {
    this.checkInput(input);
    const useBatch = this.training || !this.running_mean;
    const nbt = this.training ? this.num_batches_tracked : null;
    if (!nbt) {
      return batchNorm(input, this.running_mean, this.running_var, this.weight, this.bias, { training: useBatch, momentum: this.momentum, eps: this.eps });
    }
    const before = this.momentum === null ? this.#countBefore(nbt) : this.#hostCountOf === nbt ? this.#hostCount : null;
    noGrad(() => nbt.add_(1));
    if (before !== null) this.#hostCount = before + 1;
    else if (this.#pendingRead === nbt) this.#sinceRead++;
    if (this.momentum !== null || before !== null) {
      return batchNorm(input, this.running_mean, this.running_var, this.weight, this.bias, {
        training: true,
        momentum: this.momentum,
        eps: this.eps,
        ...(this.momentum === null ? { numBatchesTracked: before! + 1 } : {}),
      });
    }
    // The count is still being read back: update the running statistics with a factor 1 / count
    // computed on the device from the buffer, with the batchNorm op's own formulas.
    const out = batchNorm(input, null, null, this.weight, this.bias, { training: true, eps: this.eps });
    const runningMean = this.running_mean!;
    const runningVar = this.running_var!;
    noGrad(() =>
      tidy(() => {
        const dims = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2)];
        const factor = div(1, nbt.to(input.dtype));
        const keep = factor.neg().add(1);
        runningMean.copy_(runningMean.mul(keep).add(input.mean({ dim: dims }).mul(factor)));
        runningVar.copy_(runningVar.mul(keep).add(input.var({ dim: dims, correction: 1 }).mul(factor)));
      }),
    );
    return out;
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
 * new BatchNorm1d(2, 1e-3, null).momentum; // null
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
 * // PyTorch's positional form: BatchNorm2d(3, 1e-3, 0.01, false) is eps 1e-3, momentum 0.01, affine false
 * const bn3 = new BatchNorm2d(3, 1e-3, 0.01, false);
 * [bn3.eps, bn3.momentum, bn3.weight]; // [0.001, 0.01, null]
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

/** The trailing shape {@link LayerNorm} normalises: one size or several. */
export type NormalizedShape = number | readonly number[];

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
 * new LayerNorm([2, 3], 1e-6, false).weight; // null
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

  /** The normalised shape positionally, the other options by name… */
  constructor(normalizedShape: NormalizedShape, options?: LayerNormLayerOptions);
  /** …or positionally in PyTorch's order (eps, elementwiseAffine, bias)… */
  constructor(normalizedShape: NormalizedShape, eps?: number, elementwiseAffine?: boolean, bias?: boolean, options?: LayerNormLayerOptions);
  /** …or everything by name. */
  constructor(options: LayerNormLayerOptions & { normalizedShape: NormalizedShape });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(LAYER_NORM, args);
    const { dtype } = factoryOptions('LayerNorm', a);
    const shape = a.normalizedShape;
    if (typeof shape !== 'number' && !Array.isArray(shape)) {
      throw new TypeError(`LayerNorm: expected normalizedShape to be a positive integer or an array of them, got ${String(shape)}`);
    }
    this.normalizedShape = typeof shape === 'number' ? [shape] : [...(shape as number[])];
    for (const d of this.normalizedShape) positiveInt('LayerNorm', 'each normalizedShape entry', d);
    this.eps = num('LayerNorm', 'eps', a.eps, 1e-5);
    this.elementwiseAffine = flag('LayerNorm', 'elementwiseAffine', a.elementwiseAffine, true);
    const affine = this.elementwiseAffine;
    const bias = flag('LayerNorm', 'bias', a.bias, true);
    this.registerParameter('weight', affine ? ones_(newParameter(this.normalizedShape, dtype)) : null);
    this.registerParameter('bias', affine && bias ? zeros_(newParameter(this.normalizedShape, dtype)) : null);
  }

  override forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, { eps: this.eps });
  }
}
