import { reduceDims, type ReduceOptions } from '../args.js';
import { assertTensor, castUntracked, kernelTensor, record, runKernel, wrapResult } from '../engine.js';
import { reducedShape } from '../shape.js';
import { parseArgs, signature } from '../signature.js';
import { Tensor } from '../tensor.js';

/** `torch.sum(input, dim=None, keepdim=False, *, dtype=None)`. */
const SUM = signature('sum', ['dim', 'keepdim', 'dtype'], {
  keywordOnly: ['dtype'],
  unsupported: { dtype: "cast the input first, e.g. sum(x.to('float64'))" },
});

/**
 * Sum of all elements (0-d result), or over `dim` (one or several dims), keeping reduced dims
 * with size 1 when `keepdim`. Integer and bool inputs sum to int32.
 *
 * @example
 * ```ts
 * import { tensor, sum } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2], [3, 4]]);
 * await sum(x).item(); // 10
 * await x.sum(1).array(); // [3, 7]
 * await sum(x, { dim: 0, keepdim: true }).array(); // [[4, 6]]
 * await x.sum(1, true).array(); // [[3], [7]]
 * await sum(x, [0, 1]).item(); // 10
 * ```
 */
export function sum(input: Tensor, options?: ReduceOptions): Tensor;
export function sum(input: Tensor, dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
export function sum(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('sum', input);
  const a = parseArgs(SUM, args);
  const { dim, keepdim } = reduceDims('sum', input.ndim, a.dim, a.keepdim);
  const backend = input.backendInstance;
  const src = input.dtype === 'bool' ? castUntracked('sum', input, 'int32') : input;
  try {
    const ctx = { backend, shape: reducedShape(input.shape, dim, keepdim), dtype: src.dtype === 'float32' || src.dtype === 'float64' ? src.dtype : 'int32' } as const;
    const out = wrapResult(backend, runKernel('sum', 'sum', ctx, kernelTensor(src), { dim, keepdim }));
    record('sum', [input], { dim, keepdim }, [out]);
    return out;
  } finally {
    if (src !== input) src.dispose();
  }
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link sum}: `x.sum()`, `x.sum(1)`, `x.sum(1, true)`, `x.sum({ dim: [0, 1] })`. */
    sum(options?: ReduceOptions): Tensor;
    sum(dim?: number | readonly number[] | null, keepdim?: boolean): Tensor;
  }
}
Tensor.prototype.sum = function (this: Tensor, ...args: unknown[]): Tensor {
  return (sum as (x: Tensor, ...a: unknown[]) => Tensor)(this, ...args);
};
