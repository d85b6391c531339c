import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIndexTensor } from './gather.js';

/** Options of {@link indexSelect}. */
export interface IndexSelectOptions {
  /** The dimension to index. */
  dim: number;
}

/** `torch.index_select(input, dim, index)`, with the index tensor first: `indexSelect(x, index, dim)`. */
const SIG = signature('indexSelect', ['dim'], { required: 1 });

/**
 * The slices of `input` along `dim` at the positions in the 1-d int32 `index` (repeats allowed).
 *
 * @example
 * ```ts
 * import { tensor, indexSelect } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * const idx = tensor([2, 0, 2], { dtype: 'int32' });
 * await indexSelect(x, idx, { dim: 0 }).array(); // [[5, 6], [1, 2], [5, 6]]
 * await x.indexSelect(1, tensor([1], { dtype: 'int32' })).array(); // [[2], [4], [6]]
 * ```
 */
export function indexSelect(input: Tensor, index: Tensor, options: IndexSelectOptions | number): Tensor;
export function indexSelect(input: Tensor, dim: number, index: Tensor): Tensor;
export function indexSelect(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('indexSelect', input);
  // PyTorch's order indexSelect(x, dim, index) binds like indexSelect(x, index, dim)
  const [index, ...rest] = typeof args[0] === 'number' ? [args[1], args[0], ...args.slice(2)] : args;
  const rawDim = parseArgs(SIG, rest).dim;
  if (typeof rawDim !== 'number') throw new TypeError('indexSelect: expected indexSelect(x, index, { dim }) or indexSelect(x, dim, index)');
  assertTensor('indexSelect', index, 'index');
  sameBackend('indexSelect', [input, index], ['input', 'index']);
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 1-d, got shape ${formatShape(index.shape)}; flatten it first`);
  const nd = input.ndim;
  if (nd === 0) throw new RangeError('indexSelect: 0-d inputs are not supported; reshape the input to [1] first');
  const dim = normalizeDim('indexSelect', rawDim, nd);
  checkIndexTensor('indexSelect', index, dim, input.shape[dim]!);
  const b2 = input.backendInstance;
  const shape = [...input.shape];
  shape[dim] = index.numel();
  const out = wrapResult(b2, runKernel('indexSelect', 'indexSelect', { backend: b2, shape, dtype: input.dtype }, kernelTensor(input), kernelTensor(index), { dim }));
  record('indexSelect', [input, index], { dim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link indexSelect}: `x.indexSelect(0, index)` or `x.indexSelect(index, { dim: 0 })`. */
    indexSelect(index: Tensor, options: IndexSelectOptions | number): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
  }
}
Tensor.prototype.indexSelect = function (this: Tensor, ...args: unknown[]): Tensor {
  return (indexSelect as (...a: unknown[]) => Tensor)(this, ...args);
};
