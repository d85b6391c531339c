import { arange, indexSelect, noGrad, where, type Tensor } from '@tensorgrad/tensor';
import { parseArgs, refuseUnsupported, signature } from './args.js';
import { factoryOptions, newParameter, positiveInt, type FactoryOptions } from './common.js';
import { normal_ } from './init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions extends FactoryOptions {
  /**
   * Index whose row is zero at init and never receives a gradient (PyTorch's `padding_idx`;
   * negative counts from the end).
   */
  paddingIdx?: number | null;
  /** PyTorch's `max_norm`: only `null` (the default) is supported. */
  maxNorm?: null;
  /** PyTorch's `norm_type` (used with `maxNorm` only): accepted as 2 (the default). */
  normType?: number;
  /** PyTorch's `scale_grad_by_freq`: only `false` (the default) is supported. */
  scaleGradByFreq?: false;
  /** PyTorch's `sparse`: only `false` (the default) is supported. */
  sparse?: false;
}

const EMBEDDING = signature(
  'new Embedding',
  ['numEmbeddings', 'embeddingDim', 'paddingIdx', 'maxNorm', 'normType', 'scaleGradByFreq', 'sparse', 'device', 'dtype'],
  { required: 2 },
);

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (PyTorch's `nn.Embedding`):
 * integer indices of any shape give `[...indices.shape, embeddingDim]`. `weight` is initialised
 * from N(0, 1). With `paddingIdx`, that row starts at zero and its gradient is always zero (the
 * forward reads the weight through `where(rowMask, weight, weight.detach())`, which has the same
 * values and masks the gradient of the padding row).
 *
 * @example
 * ```ts
 * import { Embedding } from '@tensorgrad/layers';
 * import { tensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.call(tensor([[1, 2], [0, 9]], { dtype: 'int32' })).shape; // [2, 2, 3]
 * await emb.weight.select(0, 0).array(); // [0, 0, 0]
 * new Embedding(10, 3, 0).paddingIdx; // 0
 * ```
 */
export class Embedding extends Module {
  /** Number of rows. */
  readonly numEmbeddings: number;
  /** Size of each vector. */
  readonly embeddingDim: number;
  /** The padding row (non-negative), or `null`. */
  readonly paddingIdx: number | null;
  /** `[numEmbeddings, embeddingDim]`. */
  declare weight: Parameter;

  /** The sizes positionally, the other options by name… */
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions);
  /** …or positionally in PyTorch's order (paddingIdx, maxNorm, normType, scaleGradByFreq, sparse)… */
  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    paddingIdx?: number | null,
    maxNorm?: null,
    normType?: number,
    scaleGradByFreq?: false,
    sparse?: false,
    options?: EmbeddingOptions,
  );
  /** …or everything by name. */
  constructor(options: EmbeddingOptions & { numEmbeddings: number; embeddingDim: number });
  constructor(...args: unknown[]) {
    super();
    const a = parseArgs(EMBEDDING, args);
    const { dtype } = factoryOptions('Embedding', a);
    refuseUnsupported('Embedding', 'maxNorm', a.maxNorm, [null], 'rows are never renormalised; clip them yourself (e.g. with renorm under noGrad) if you need it');
    refuseUnsupported('Embedding', 'normType', a.normType, [2], 'normType only matters with maxNorm, which is not supported');
    refuseUnsupported('Embedding', 'scaleGradByFreq', a.scaleGradByFreq, [false], 'gradients are not scaled by word frequency');
    refuseUnsupported('Embedding', 'sparse', a.sparse, [false], 'the weight gradient is always dense');
    const numEmbeddings = positiveInt('Embedding', 'numEmbeddings', a.numEmbeddings);
    const embeddingDim = positiveInt('Embedding', 'embeddingDim', a.embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let pad = (a.paddingIdx as number | null | undefined) ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new RangeError(`Embedding: expected paddingIdx in [-${numEmbeddings}, ${numEmbeddings - 1}], got ${String(pad)}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.registerParameter('weight', normal_(newParameter([numEmbeddings, embeddingDim], dtype)));
    if (pad !== null) {
      const w = this.weight;
      noGrad(() => {
        const row = w.select(0, pad);
        row.fill_(0);
        row.dispose();
      });
    }
  }

  override forward(input: Tensor): Tensor {
    if (input.dtype !== 'int32') throw new TypeError(`Embedding: expected int32 indices, got dtype ${input.dtype}; convert them with .int()`);
    let w: Tensor = this.weight;
    if (this.paddingIdx !== null && this.weight.requiresGrad) {
      const rows = arange(this.numEmbeddings, { dtype: 'int32' }).reshape([this.numEmbeddings, 1]);
      const mask = rows.ne(this.paddingIdx);
      w = where(mask, this.weight, this.weight.detach());
    }
    const flat = input.reshape([-1]);
    return indexSelect(w, 0, flat).reshape([...input.shape, this.embeddingDim]);
  }
}
