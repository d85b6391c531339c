import { arange, indexSelect, noGrad, where, type Tensor } from '@tensorgrad/tensor';
import { newParameter, positiveInt, type FactoryOptions } from './common.js';
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
}

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

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = positiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    this.embeddingDim = positiveInt('Embedding', 'embeddingDim', embeddingDim);
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings) {
        throw new RangeError(`Embedding: expected paddingIdx in [-${numEmbeddings}, ${numEmbeddings - 1}], got ${String(pad)}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.registerParameter('weight', normal_(newParameter([numEmbeddings, embeddingDim], options.dtype)));
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
