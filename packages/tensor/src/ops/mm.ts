import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record, sameBackend } from '../engine.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';

/** `torch.mm`'s arguments after the tensors: none (an options object or an extra argument throws). */
const SIG = signature('mm', []);

/**
 * Matrix product of two 2-D tensors (`[M, K]` × `[K, N]` → `[M, N]`), without `matmul`'s
 * broadcasting or vector promotion. Both operands must have the same dtype.
 *
 * @example
 * ```ts
 * import { tensor, mm } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const a = tensor([[1, 2], [3, 4]]);
 * await mm(a, tensor([[1, 0], [0, 2]])).array(); // [[1, 4], [3, 8]]
 * await a.mm(a).array(); // [[7, 10], [15, 22]]
 * ```
 */
export function mm(input: Tensor, mat2: Tensor): Tensor;
export function mm(input: Tensor, mat2: Tensor, ...rest: unknown[]): Tensor {
  parseArgs(SIG, rest);
  assertTensor('mm', input, 'input');
  assertTensor('mm', mat2, 'mat2');
  sameBackend('mm', [input, mat2], ['input', 'mat2']);
  if (input.ndim !== 2 || mat2.ndim !== 2) {
    throw new RangeError(
      `mm: expected two 2-D matrices, got shapes ${formatShape(input.shape)} and ${formatShape(mat2.shape)}; ` +
        'use matmul() for vectors and batches',
    );
  }
  if (input.shape[1] !== mat2.shape[0]) {
    throw new RangeError(
      `mm: shapes ${formatShape(input.shape)} and ${formatShape(mat2.shape)} are not aligned: ` +
        `${input.shape[1]} (dim 1) != ${mat2.shape[0]} (dim 0)`,
    );
  }
  if (input.dtype !== mat2.dtype) {
    throw new TypeError(
      `mm: expected both operands to have the same dtype, got ${input.dtype} and ${mat2.dtype}; ` +
        `convert one with .to('${input.dtype}') (PyTorch does not promote here either)`,
    );
  }
  const out = decompose(() => matmul(input, mat2));
  record('mm', [input, mat2], {}, [out]);
  return out;
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link mm}. */
    mm(mat2: Tensor): Tensor;
  }
}
Tensor.prototype.mm = function (this: Tensor, mat2: Tensor, ...rest: unknown[]): Tensor {
  return (mm as (...a: unknown[]) => Tensor)(this, mat2, ...rest);
};
