import { parseArgs, signature } from '../signature.js';
import { assertTensor, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of {@link gather}. */
export interface GatherOptions {
  /** The dimension indexed by `index`. */
  dim: number;
}

/**
 * Throws unless `index` is an int32 tensor whose values lie in `[0, size)` (values are checked
 * on backends that can read synchronously).
 *
 * @example
 * ```ts
 * import { tensor, checkIndexTensor } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * checkIndexTensor('gather', tensor([0, 3], { dtype: 'int32' }), 1, 4); // throws when a value is outside [0, 4)
 * ```
 */
export function checkIndexTensor(op: string, index: Tensor, dim: number, size: number): void {
  if (index.dtype !== 'int32') {
    throw new TypeError(`${op}: expected index to be an int32 tensor, got ${index.dtype}; convert it with .int()`);
  }
  if (!index.backendInstance.readSync || index.numel() === 0) return;
  const values = index.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= size) {
      throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${dim} with size ${size}; expected indices in [0, ${size - 1}]`);
    }
  }
}

/** Splits `(dim, index)` / `(index, dim)` / `(index, { dim })` calling forms. */
function parseGatherArgs(args: readonly unknown[]): { dim: number; index: Tensor } {
  // PyTorch's order gather(x, dim, index, …) binds like gather(x, index, dim, …)
  const [index, ...rest] = typeof args[0] === 'number' ? [args[1], args[0], ...args.slice(2)] : args;
  if (!(index instanceof Tensor)) throw new TypeError('gather: expected gather(x, index, { dim }) or gather(x, dim, index) with an int32 index tensor');
  const d = parseArgs(SIG, rest).dim;
  if (typeof d !== 'number') throw new TypeError(`gather: expected gather(x, index, { dim }) or gather(x, dim, index), got dim ${String(d)}`);
  return { dim: d, index };
}

/** `torch.gather(input, dim, index, *, sparse_grad=False)`, with the index tensor first: `gather(x, index, dim)`. */
const SIG = signature('gather', ['dim', 'sparseGrad'], {
  keywordOnly: ['sparseGrad'],
  unsupported: { sparseGrad: 'gradients are always dense; omit it' },
});

/**
 * Picks values along `dim` at positions given by `index` (same number of dimensions as `input`):
 * `out[i][j] = input[i][index[i][j]]` for `dim` 1. The output has `index`'s shape.
 *
 * @example
 * ```ts
 * import { tensor, gather } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * const idx = tensor([[2, 0], [1, 1]], { dtype: 'int32' });
 * await gather(x, idx, { dim: 1 }).array(); // [[3, 1], [5, 5]]
 * await x.gather(1, idx).array(); // [[3, 1], [5, 5]]
 * ```
 */
export function gather(input: Tensor, index: Tensor, options: GatherOptions | number): Tensor;
export function gather(input: Tensor, dim: number, index: Tensor): Tensor;
export function gather(input: Tensor, ...args: unknown[]): Tensor {
  assertTensor('gather', input);
  const { dim: rawDim, index } = parseGatherArgs(args);
  sameBackend('gather', [input, index], ['input', 'index']);
  const nd = input.ndim;
  if (nd === 0) throw new RangeError('gather: 0-d inputs are not supported; reshape the input to [1] first');
  if (index.ndim !== nd) {
    throw new RangeError(
      `gather: index must have the same number of dimensions as input: input ${formatShape(input.shape)}, index ${formatShape(index.shape)}`,
    );
  }
  const dim = normalizeDim('gather', rawDim, nd);
  for (let d = 0; d < nd; d++) {
    if (d !== dim && index.shape[d]! > input.shape[d]!) {
      throw new RangeError(
        `gather: size of index (${formatShape(index.shape)}) at dimension ${d} is ${index.shape[d]}, larger than input's ${input.shape[d]} (${formatShape(input.shape)}); ` +
          `index may only be larger than the input along dim ${dim}`,
      );
    }
  }
  checkIndexTensor('gather', index, dim, input.shape[dim]!);
  const bk = input.backendInstance;
  const out = wrapResult(bk, runKernel('gather', 'gather', { backend: bk, shape: index.shape, dtype: input.dtype }, kernelTensor(input), kernelTensor(index), { dim }));
  record('gather', [input, index], { dim }, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link gather}: `x.gather(1, index)` or `x.gather(index, { dim: 1 })`. */
    gather(index: Tensor, options: GatherOptions | number): Tensor;
    gather(dim: number, index: Tensor): Tensor;
  }
}
Tensor.prototype.gather = function (this: Tensor, ...args: unknown[]): Tensor {
  return (gather as (...a: unknown[]) => Tensor)(this, ...args);
};
