import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIndexTensor } from './gather.js';

/** Options of {@link scatterAdd}. */
export interface ScatterAddOptions {
  /** The dimension indexed by `index`. */
  dim: number;
}

/** `torch.scatter_add(input, dim, index, src)`, with the tensors first: `scatterAdd(x, index, src, dim)`. */
const SIG = signature('scatterAdd', ['dim'], { required: 1 });

/**
 * Out-of-place `x.scatter_add(dim, index, src)`: a copy of `input` where each `src` value is
 * added at the position given by `index` along `dim` (`out[i][index[i][j]] += src[i][j]` for
 * `dim` 1). Repeated indices accumulate.
 *
 * @example
 * ```ts
 * import { tensor, zeros, scatterAdd } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const idx = tensor([[0, 0, 2]], { dtype: 'int32' });
 * const src = tensor([[1, 2, 3]]);
 * await scatterAdd(zeros([1, 3]), idx, src, { dim: 1 }).array(); // [[3, 0, 3]]
 * await zeros([1, 3]).scatterAdd(1, idx, src).array(); // [[3, 0, 3]]
 * ```
 */
export function scatterAdd(input: Tensor, index: Tensor, src: Tensor, options: ScatterAddOptions | number): Tensor;
export function scatterAdd(input: Tensor, dim: number, index: Tensor, src: Tensor): Tensor;
export function scatterAdd(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('scatterAdd', input);
  // PyTorch's order scatterAdd(x, dim, index, src) binds like scatterAdd(x, index, src, dim)
  const [index, src, ...rest] = (typeof args[0] === 'number' ? [args[1], args[2], args[0], ...args.slice(3)] : args) as [Tensor, Tensor, ...unknown[]];
  const rawDim = parseArgs(SIG, rest).dim;
  if (typeof rawDim !== 'number') {
    throw new TypeError('scatterAdd: expected scatterAdd(x, index, src, { dim }) or scatterAdd(x, dim, index, src)');
  }
  assertTensor('scatterAdd', index, 'index');
  assertTensor('scatterAdd', src, 'src');
  sameBackend('scatterAdd', [input, index, src], ['input', 'index', 'src']);
  if (src.dtype !== input.dtype) {
    throw new TypeError(`scatterAdd: expected src to have the input's dtype ${input.dtype}, got ${src.dtype}; convert it with .to('${input.dtype}')`);
  }
  const nd = input.ndim;
  if (nd === 0) throw new RangeError('scatterAdd: 0-d inputs are not supported; reshape the input to [1] first');
  if (index.ndim !== nd || src.ndim !== nd) {
    throw new RangeError(
      `scatterAdd: index and src must have as many dimensions as input: input ${formatShape(input.shape)}, index ${formatShape(index.shape)}, src ${formatShape(src.shape)}`,
    );
  }
  const dim = normalizeDim('scatterAdd', rawDim, nd);
  for (let d = 0; d < nd; d++) {
    if (index.shape[d]! > src.shape[d]! || (d !== dim && index.shape[d]! > input.shape[d]!)) {
      throw new RangeError(
        `scatterAdd: index ${formatShape(index.shape)} is larger than src ${formatShape(src.shape)} or input ${formatShape(input.shape)} at dimension ${d}; ` +
          `expected index.size(d) <= src.size(d) for every d and index.size(d) <= input.size(d) for d != ${dim}`,
      );
    }
  }
  checkIndexTensor('scatterAdd', index, dim, input.shape[dim]!);
  const b2 = input.backendInstance;
  const out = wrapResult(
    b2,
    runKernel('scatterAdd', 'scatterAdd', { backend: b2, shape: input.shape, dtype: input.dtype }, kernelTensor(input), kernelTensor(index), kernelTensor(src), { dim }),
  );
  record('scatterAdd', [input, index, src], { dim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link scatterAdd}: `x.scatterAdd(1, index, src)` or `x.scatterAdd(index, src, { dim: 1 })`. */
    scatterAdd(index: Tensor, src: Tensor, options: ScatterAddOptions | number): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
  }
}
Tensor.prototype.scatterAdd = function (this: Tensor, ...args: unknown[]): Tensor {
  return (scatterAdd as (...a: unknown[]) => Tensor)(this, ...args);
};
