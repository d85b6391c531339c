import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record, sameBackend } from '../engine.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';

/** `torch.bmm`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('bmm', []);

/**
 * Batched matrix product of two 3-D tensors with the same batch size
 * (`[B, M, K]` × `[B, K, N]` → `[B, M, N]`), without broadcasting. Both operands must have the
 * same dtype.
 *
 * @example
 * ```ts
 * import { tensor, bmm } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const a = tensor([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
 * const b = tensor([[[1], [1]], [[2], [0]]]); // [2, 2, 1]
 * await bmm(a, b).array(); // [[[3]], [[6]]]
 * a.bmm(b).shape; // [2, 1, 1]
 * ```
 */
export function bmm(input: Tensor, mat2: Tensor): Tensor;
export function bmm(input: Tensor, mat2: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('bmm', input, 'input');
  assertTensor('bmm', mat2, 'mat2');
  sameBackend('bmm', [input, mat2], ['input', 'mat2']);
  if (input.ndim !== 3 || mat2.ndim !== 3) {
    throw new RangeError(
      `bmm: expected two 3-D tensors [B, M, K] and [B, K, N], got shapes ${formatShape(input.shape)} and ${formatShape(mat2.shape)}; ` +
        'use matmul() to broadcast batch dims',
    );
  }
  if (input.shape[0] !== mat2.shape[0]) {
    throw new RangeError(
      `bmm: batch sizes differ: ${input.shape[0]} (shape ${formatShape(input.shape)}) != ${mat2.shape[0]} (shape ${formatShape(mat2.shape)}); ` +
        'both operands need the same batch size (use matmul() to broadcast)',
    );
  }
  if (input.shape[2] !== mat2.shape[1]) {
    throw new RangeError(
      `bmm: shapes ${formatShape(input.shape)} and ${formatShape(mat2.shape)} are not aligned: ` +
        `${input.shape[2]} (dim 2) != ${mat2.shape[1]} (dim 1)`,
    );
  }
  if (input.dtype !== mat2.dtype) {
    throw new TypeError(
      `bmm: expected both operands to have the same dtype, got ${input.dtype} and ${mat2.dtype}; ` +
        `convert one with .to('${input.dtype}') (PyTorch does not promote here either)`,
    );
  }
  const out = decompose(() => matmul(input, mat2));
  record('bmm', [input, mat2], {}, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link bmm}. */
    bmm(mat2: Tensor): Tensor;
  }
}
Tensor.prototype.bmm = function (this: Tensor, mat2: Tensor, ...rest: unknown[]): Tensor {
  return (bmm as (...a: unknown[]) => Tensor)(this, mat2, ...rest);
};
