import { parseArgs, signature } from '../signature.js';
import type { KernelTensor } from '../kernel.js';
import { assertTensor, cloneUntracked, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { broadcastShapes, broadcastStrides, formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

// A single stride that walks all of `shape`'s elements in row-major order, or null when the
// dims cannot be merged (size-1 dims never matter; all-zero strides merge to 0).
function mergedStride(shape: readonly number[], strides: readonly number[]): number | null {
  let stride: number | null = null;
  let expected = 0;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 1) continue;
    if (stride === null) stride = strides[i]!;
    else if (strides[i] !== expected) return null;
    expected = strides[i]! * d;
  }
  return stride ?? 0;
}

/**
 * The `[batch, rows, cols]` kernel view of the matrices of `t` (shape `[...batchT, rows, cols]`
 * through `rowStride`/`colStride`) broadcast over `batch`. Returns a copy when the broadcast
 * batch dims cannot be walked with a single stride (then `owned` must be disposed).
 */
function batchedView(
  t: Tensor,
  batch: readonly number[],
  rows: number,
  cols: number,
  rowStride: number,
  colStride: number,
): { view: KernelTensor; owned: Tensor | null } {
  const tb = t.ndim > 2 ? t.shape.slice(0, -2) : [];
  const bs = broadcastStrides(tb, t._strides.slice(0, tb.length), batch);
  let nb = 1;
  for (const d of batch) nb *= d;
  const s = mergedStride(batch, bs);
  if (s !== null) {
    return {
      view: { handle: t._storage.handle, shape: [nb, rows, cols], strides: [s, rowStride, colStride], offset: t._offset, dtype: t.dtype },
      owned: null,
    };
  }
  // e.g. [2,1,M,K]·[1,3,K,N]: the expanded batch of one operand has no single stride
  const expanded = t._view([...batch, rows, cols], [...bs, rowStride, colStride], t._offset, true);
  const copy = cloneUntracked(expanded);
  expanded.dispose();
  return {
    view: { handle: copy._storage.handle, shape: [nb, rows, cols], strides: [rows * cols, cols, 1], offset: 0, dtype: t.dtype },
    owned: copy,
  };
}

/**
 * Checks operand dtypes shared by `matmul`, `mm` and `bmm` (PyTorch requires equal dtypes and
 * has no bool matrix product).
 */
function checkDtypes(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: expected both operands to have the same dtype, got ${a.dtype} and ${b.dtype}; ` +
        `convert one with .to('${a.dtype}') (PyTorch does not promote here either)`,
    );
  }
  if (a.dtype === 'bool') throw new TypeError(`${op}: not supported for bool tensors; convert with .int() or .float() first`);
}

/**
 * Runs the batched kernel on `a` `[...batchA, M, K]` and `b` `[...batchB, K, N]` (both at least
 * 2-D here), broadcasting batch dims, and returns the `[...batch, M, N]` result reshaped to
 * `outShape`. Not recorded.
 */
function batchedProduct(op: string, a: Tensor, b: Tensor, m: number, k: number, n: number, batch: readonly number[], outShape: readonly number[]): Tensor {
  const backend = sameBackend(op, [a, b], ['input', 'other']);
  const av = batchedView(a, batch, m, k, a._strides[a.ndim - 2]!, a._strides[a.ndim - 1]!);
  try {
    const bv = batchedView(b, batch, k, n, b._strides[b.ndim - 2]!, b._strides[b.ndim - 1]!);
    try {
      const ctx = { backend, shape: [av.view.shape[0]!, m, n], dtype: a.dtype };
      const r = runKernel(op, 'matmul', ctx, av.view, bv.view, {});
      // the kernel's output is contiguous, so any shape of the same size is a free reshape
      return wrapResult(backend, { handle: r.handle, dtype: r.dtype, shape: [...outShape] });
    } finally {
      bv.owned?.dispose();
    }
  } finally {
    av.owned?.dispose();
  }
}

/** `torch.matmul`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('matmul', []);

/**
 * Matrix product with PyTorch's `torch.matmul` semantics: 1-D·1-D is a dot product (0-d
 * result); 2-D·2-D a matrix product; a 1-D operand is treated as a row (left) or column (right)
 * vector whose added dim is removed from the result; operands with more than 2 dims are stacks
 * of matrices whose batch dims broadcast. Both operands must have the same dtype.
 *
 * @example
 * ```ts
 * import { tensor, matmul } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const a = tensor([[1, 2], [3, 4]]);
 * await matmul(a, tensor([[1], [1]])).array(); // [[3], [7]]
 * await a.matmul(tensor([1, 0])).array(); // [1, 3]
 * await tensor([1, 2]).matmul(tensor([3, 4])).item(); // 11
 * ```
 */
export function matmul(input: Tensor, other: Tensor): Tensor;
export function matmul(input: Tensor, other: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('matmul', input, 'input');
  assertTensor('matmul', other, 'other');
  sameBackend('matmul', [input, other], ['input', 'other']);
  if (input.ndim === 0 || other.ndim === 0) {
    throw new RangeError(
      `matmul: both arguments need to be at least 1-D, got shapes ${formatShape(input.shape)} and ${formatShape(other.shape)}; ` +
        'use mul() to multiply by a scalar',
    );
  }
  checkDtypes('matmul', input, other);
  const aVec = input.ndim === 1;
  const bVec = other.ndim === 1;
  // K is the last dim of input and the second-to-last (or only) dim of other
  const k = input.shape[input.ndim - 1]!;
  const kDimB = bVec ? 0 : other.ndim - 2;
  const kB = other.shape[kDimB]!;
  if (k !== kB) {
    throw new RangeError(
      `matmul: shapes ${formatShape(input.shape)} and ${formatShape(other.shape)} are not aligned: ` +
        `${k} (dim ${input.ndim - 1}) != ${kB} (dim ${kDimB})`,
    );
  }
  // vectors become a [1, K] row / [K, 1] column view (no copy) and the added dim is dropped below
  const a = aVec ? input._view([1, k], [0, input._strides[0]!], input._offset, true) : input;
  const b = bVec ? other._view([k, 1], [other._strides[0]!, 0], other._offset, true) : other;
  try {
    const m = a.shape[a.ndim - 2]!;
    const n = b.shape[b.ndim - 1]!;
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const outShape = [...batch];
    if (!aVec) outShape.push(m);
    if (!bVec) outShape.push(n);
    const out = batchedProduct('matmul', a, b, m, k, n, batch, outShape);
    record('matmul', [input, other], {}, [out]);
    return out;
  } finally {
    if (a !== input) a.dispose();
    if (b !== other) b.dispose();
  }
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link matmul}. */
    matmul(other: Tensor): Tensor;
  }
}
Tensor.prototype.matmul = function (this: Tensor, other: Tensor, ...rest: unknown[]): Tensor {
  return (matmul as (...a: unknown[]) => Tensor)(this, other, ...rest);
};
