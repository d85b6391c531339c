import { parseArgs, signature } from '../signature.js';
import { assertTensor, castUntracked, kernelTensor, record, runKernel, sameBackend, wrapResult } from '../engine.js';
import { promoteTypes } from '../dtype.js';
import { formatShape, normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Options of {@link cat}. */
export interface CatOptions {
  /** The dimension to concatenate along (default 0). */
  dim?: number;
}

/** Whether `t` is a 1-d empty tensor, which `cat` skips like PyTorch's legacy behaviour. */
function isLegacyEmpty(t: Tensor): boolean {
  return t.ndim === 1 && t.shape[0] === 0;
}

/** `torch.cat(tensors, dim=0)`. */
const SIG = signature('cat', ['dim']);

/**
 * Concatenates tensors along `dim` (sizes must match in every other dimension); dtypes are
 * promoted like PyTorch, and 1-d empty tensors (shape `[0]`) are skipped.
 *
 * @example
 * ```ts
 * import { tensor, cat } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const a = tensor([[1, 2]]);
 * const b = tensor([[3, 4], [5, 6]]);
 * await cat([a, b]).array(); // [[1, 2], [3, 4], [5, 6]]
 * await cat([a, a], 1).array(); // [[1, 2, 1, 2]]
 * cat([a, b], { dim: 0 }).shape; // [3, 2]
 * cat([b, b], 1).shape; // [2, 4]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim?: number | CatOptions): Tensor;
export function cat(tensors: readonly Tensor[], ...args: unknown[]): Tensor {
  const d = parseArgs(SIG, args).dim ?? 0;
  if (!Array.isArray(tensors)) throw new TypeError(`cat: expected an array of tensors, got ${typeof tensors}`);
  if (tensors.length === 0) throw new RangeError('cat: expected a non-empty list of tensors');
  tensors.forEach((t, i) => assertTensor('cat', t, `tensor ${i}`));
  const backend = sameBackend('cat', tensors, tensors.map((_, i) => `tensor ${i}`));
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`cat: expected dim to be an integer, got ${String(d)}`);
  let dtype = tensors[0]!.dtype;
  for (const t of tensors) dtype = promoteTypes(dtype, t.dtype);
  const kept = tensors.every(isLegacyEmpty) ? [...tensors] : tensors.filter((t) => !isLegacyEmpty(t));
  const ref = kept[0]!;
  kept.forEach((t) => {
    if (t.ndim === 0) {
      throw new RangeError(`cat: zero-dimensional tensor (at position ${tensors.indexOf(t)}) cannot be concatenated; unsqueeze it first or use stack`);
    }
  });
  const nd = ref.ndim;
  const axis = normalizeDim('cat', d, nd);
  for (const t of kept) {
    const i = tensors.indexOf(t);
    if (t.ndim !== nd) {
      throw new RangeError(
        `cat: tensors must have the same number of dimensions: got ${nd} (shape ${formatShape(ref.shape)}) and ${t.ndim} (shape ${formatShape(t.shape)}) for tensor ${i}`,
      );
    }
    for (let k = 0; k < nd; k++) {
      if (k !== axis && t.shape[k] !== ref.shape[k]) {
        throw new RangeError(
          `cat: sizes of tensors must match except in dimension ${axis}: expected size ${ref.shape[k]} but got size ${t.shape[k]} ` +
            `for tensor ${i} at dimension ${k} (shapes ${formatShape(ref.shape)} and ${formatShape(t.shape)})`,
        );
      }
    }
  }
  const cast = kept.map((t) => castUntracked('cat', t, dtype));
  try {
    const shape = [...ref.shape];
    shape[axis] = kept.reduce((n, t) => n + t.shape[axis]!, 0);
    const out = wrapResult(backend, runKernel('cat', 'cat', { backend, shape, dtype }, cast.map((t) => kernelTensor(t)), { dim: axis }));
    record('cat', tensors, { dim: axis }, [out]);
    return out;
  } finally {
    cast.forEach((c, i) => {
      if (c !== kept[i]) c.dispose();
    });
  }
}
