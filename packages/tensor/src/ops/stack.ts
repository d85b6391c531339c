import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, record, sameBackend } from '../engine.js';
import { formatShape, normalizeDim, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { unsqueeze } from './unsqueeze.js';

/** Options of {@link stack}. */
export interface StackOptions {
  /** Where the new dimension goes (default 0). */
  dim?: number;
}

/** `torch.stack(tensors, dim=0)`. */
const SIG = signature('stack', ['dim']);

/**
 * Stacks same-shape tensors along a new dimension `dim`.
 *
 * @example
 * ```ts
 * import { tensor, stack } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const a = tensor([1, 2]);
 * const b = tensor([3, 4]);
 * await stack([a, b]).array(); // [[1, 2], [3, 4]]
 * await stack([a, b], -1).array(); // [[1, 3], [2, 4]]
 * stack([a, b], { dim: 1 }).shape; // [2, 2]
 * ```
 */
export function stack(tensors: readonly Tensor[], dim?: number | StackOptions): Tensor;
export function stack(tensors: readonly Tensor[], ...args: unknown[]): Tensor {
  const d = parseArgs(SIG, args).dim ?? 0;
  if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`stack: expected dim to be an integer, got ${String(d)}`);
  if (!Array.isArray(tensors)) throw new TypeError(`stack: expected an array of tensors, got ${typeof tensors}`);
  if (tensors.length === 0) throw new RangeError('stack: expected a non-empty list of tensors');
  tensors.forEach((t, i) => assertTensor('stack', t, `tensor ${i}`));
  sameBackend('stack', tensors, tensors.map((_, i) => `tensor ${i}`));
  const ref = tensors[0]!;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, ref.shape)) {
      throw new RangeError(
        `stack: expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const axis = normalizeDim('stack', d, ref.ndim + 1);
  const out = decompose(() => cat(tensors.map((t) => unsqueeze(t, axis)), axis));
  record('stack', tensors, { dim: axis }, [out]);
  return out;
}
