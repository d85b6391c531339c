import { parseArgs, signature } from '../signature.js';
import { assertTensor, decompose, kernelTensor, record, runKernel, sameBackend, scalarTensor, wrapResult } from '../engine.js';
import { NotSupportedError } from '../not-supported.js';
import { broadcastShapes, formatShape, shapeSize, shapesEqual, type Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assignResult } from '../inplace/copy_.js';
import { nonzero } from './nonzero.js';
import { where } from './where.js';
import './add.js';
import './mul.js';
import './lt.js';
import './expand.js';
import './reshape.js';
import './select.js';
import './to.js';

/** Options of {@link indexPut} and `indexPut_`. */
export interface IndexPutOptions {
  /** Add `values` at the indexed positions instead of writing them; repeated positions add up (default false). */
  accumulate?: boolean;
}

/**
 * Turns a tuple of index tensors (int32, or bool masks converted with `nonzero`) into one int32
 * index tensor per indexed leading dimension, checks them and returns them with their broadcast
 * shape. Int indices may be negative (counted from the end).
 * @internal
 */
export function resolveIndexTensors(op: string, input: Tensor, indices: readonly unknown[]): { idx: Tensor[]; owned: Tensor[]; shape: number[] } {
  if (!Array.isArray(indices) || indices.length === 0) {
    throw new TypeError(`${op}: expected indices to be a non-empty array of int32 (or bool) index tensors, one per indexed leading dimension, got ${String(indices)}`);
  }
  const idx: Tensor[] = [];
  const owned: Tensor[] = [];
  try {
    for (const [i, t] of indices.entries()) {
      assertTensor(op, t, `indices[${i}]`);
      sameBackend(op, [input, t], ['input', `indices[${i}]`]);
      if (t.dtype === 'bool') {
        if (!t.backendInstance.readSync) {
          throw new NotSupportedError(
            op,
            t.backend,
            'sync-read',
            `${op}: a bool mask index needs the number of its true elements, which backend '${t.backend}' cannot read synchronously; ` +
              'convert the mask to int32 index tensors first: const nz = await nonzeroAsync(mask), then pass nz.select(1, j) for each of its dims',
          );
        }
        const d0 = idx.length;
        const want = input.shape.slice(d0, d0 + t.ndim);
        if (t.ndim === 0 || want.length !== t.ndim || !shapesEqual(want, t.shape)) {
          throw new RangeError(
            `${op}: the bool mask indices[${i}] of shape ${formatShape(t.shape)} must match the shape of the dimensions it indexes, ` +
              `${formatShape(input.shape.slice(d0, d0 + Math.max(t.ndim, 1)))} (dims ${d0}.. of input ${formatShape(input.shape)})`,
          );
        }
        const nz = nonzero(t);
        owned.push(nz);
        for (let j = 0; j < t.ndim; j++) {
          const c = nz.select(1, j);
          owned.push(c);
          idx.push(c);
        }
        continue;
      }
      if (t.dtype !== 'int32') {
        throw new TypeError(`${op}: expected indices[${i}] to be an int32 or bool tensor, got ${t.dtype}; convert it with .int()`);
      }
      idx.push(t);
    }
    if (idx.length > input.ndim) {
      throw new RangeError(`${op}: too many indices for a tensor of dimension ${input.ndim} (shape ${formatShape(input.shape)}): got ${idx.length} index dimensions`);
    }
    let shape: number[] = [];
    idx.forEach((t, i) => {
      try {
        shape = broadcastShapes(op, shape, t.shape);
      } catch {
        throw new RangeError(
          `${op}: shape mismatch: the index tensors cannot be broadcast together; indices ${idx.map((u) => formatShape(u.shape)).join(', ')} (the one at ${i} does not fit)`,
        );
      }
    });
    idx.forEach((t, d) => {
      const size = input.shape[d]!;
      if (!t.backendInstance.readSync || t.numel() === 0) return;
      const values = t.dataSync();
      for (let k = 0; k < values.length; k++) {
        const v = values[k]!;
        if (v < -size || v >= size) {
          throw new RangeError(`${op}: index ${v} is out of bounds for dimension ${d} with size ${size}; expected indices in [${-size}, ${size - 1}]`);
        }
      }
    });
    return { idx, owned, shape };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

/**
 * The flat position, among the leading `idx.length` dims of `shape`, of each element of the
 * broadcast index tensors, as an int32 `[M]` tensor (negative indices wrapped). Not recorded.
 * @internal
 */
export function linearIndex(idx: readonly Tensor[], shape: Shape, broadcast: Shape): Tensor {
  return decompose(() => {
    let lin: Tensor | null = null;
    let stride = 1;
    for (let d = idx.length - 1; d >= 0; d--) {
      const size = shape[d]!;
      const t = idx[d]!;
      const wrapped = where(t.lt(0), t.add(size), t);
      const term = stride === 1 ? wrapped : wrapped.mul(stride);
      lin = lin === null ? term : lin.add(term);
      stride *= size;
    }
    return lin!.expand([...broadcast]).reshape([shapeSize(broadcast)]);
  });
}

const INDEX_PUT = signature('indexPut', ['accumulate']);

/**
 * Out-of-place PyTorch `x.index_put(indices, values, accumulate)`: a copy of `input` where the
 * positions selected by the index tensors (`input[indices[0], indices[1], …]` in Python: int32
 * tensors, negative allowed, broadcast together, indexing the leading dimensions; a bool mask
 * stands for its `nonzero()` columns) are set to `values` (broadcast to the selection, converted
 * to `input`'s dtype), or incremented by them with `accumulate` (repeated positions add up).
 * Without `accumulate`, which of several values for one position wins is unspecified, as in
 * PyTorch. Differentiable in `input` and `values`.
 *
 * @example
 * ```ts
 * import { tensor, zeros, indexPut } from '@tensorgrad/tensor';
 * import '@tensorgrad/backend-cpu';
 * const i = tensor([0, 2, 0], { dtype: 'int32' });
 * await indexPut(zeros([3]), [i], tensor([1, 2, 3]), { accumulate: true }).array(); // [4, 0, 2]
 * const r = tensor([0, 1], { dtype: 'int32' });
 * await zeros([2, 2]).indexPut([r, r], 5).array(); // [[5, 0], [0, 5]]
 * ```
 */
export function indexPut(input: Tensor, indices: readonly Tensor[], values: Tensor | number | boolean, options?: IndexPutOptions): Tensor;
export function indexPut(input: Tensor, indices: readonly Tensor[], values: Tensor | number | boolean, accumulate?: boolean): Tensor;
export function indexPut(input: Tensor, indices: readonly Tensor[], values: Tensor | number | boolean, ...rest: unknown[]): Tensor {
  const op = 'indexPut';
  assertTensor(op, input);
  const accumulate = (parseArgs(INDEX_PUT, rest).accumulate as boolean | undefined) ?? false;
  if (typeof accumulate !== 'boolean') throw new TypeError(`${op}: expected accumulate to be a boolean, got ${String(accumulate)}`);
  if (!(values instanceof Tensor) && typeof values !== 'number' && typeof values !== 'boolean') {
    throw new TypeError(`${op}: expected values to be a Tensor or a number, got ${values === null ? 'null' : typeof values}`);
  }
  const backend = input.backendInstance;
  const { idx, owned, shape: b } = resolveIndexTensors(op, input, indices);
  const k = idx.length;
  const tail = input.shape.slice(k);
  const target = [...b, ...tail];
  const m = shapeSize(b);
  const p = shapeSize(input.shape.slice(0, k));
  const r = shapeSize(tail);
  const temps: Tensor[] = [...owned];
  try {
    let v: Tensor;
    if (values instanceof Tensor) {
      sameBackend(op, [input, values], ['input', 'values']);
      const fits = (() => {
        try {
          return shapesEqual(broadcastShapes(op, values.shape, target), target);
        } catch {
          return false;
        }
      })();
      if (!fits) {
        throw new RangeError(
          `${op}: shape mismatch: values of shape ${formatShape(values.shape)} cannot be broadcast to the indexing result of shape ${formatShape(target)}`,
        );
      }
      v = values.dtype === input.dtype ? values : values.to(input.dtype);
      if (v !== values) temps.push(v);
    } else {
      v = scalarTensor(values, input.dtype, backend);
      temps.push(v);
    }
    const lin = linearIndex(idx, input.shape, b);
    temps.push(lin);
    const x2 = input.reshape([p, r]);
    const vExpanded = v.expand(target);
    const v2 = vExpanded.reshape([m, r]);
    temps.push(x2, vExpanded, v2);
    const attrs = { accumulate };
    const out2 = wrapResult(backend, runKernel(op, 'indexPut', { backend, shape: [p, r], dtype: input.dtype }, kernelTensor(x2), kernelTensor(lin), kernelTensor(v2), attrs));
    temps.push(out2);
    record('indexPut', [x2, lin, v2], attrs, [out2]);
    return out2.reshape([...input.shape]);
  } finally {
    for (const t of temps) t.dispose();
  }
}

declare module '../tensor.js' {
  interface Tensor {
    /** Method form of {@link indexPut}. */
    indexPut(indices: readonly Tensor[], values: Tensor | number | boolean, options?: IndexPutOptions): Tensor;
    /**
     * In-place PyTorch `x.index_put_(indices, values, accumulate)`: writes (or with `accumulate`,
     * adds) `values` at the positions selected by the index tensors, through views into the
     * shared storage; see {@link indexPut} for the indexing rules. Like every in-place op it is
     * not recorded: on a tensor that requires grad it throws unless run under `noGrad()`.
     * Returns `this`.
     *
     * @example
     * ```ts
     * import { tensor, zeros } from '@tensorgrad/tensor';
     * import '@tensorgrad/backend-cpu';
     * const x = zeros([2, 3]);
     * x.indexPut_([tensor([1, -1], { dtype: 'int32' }), tensor([0, 2], { dtype: 'int32' })], tensor([7, 8]));
     * await x.array(); // [[0, 0, 0], [7, 0, 8]]
     * x.indexPut_([tensor([0, 0], { dtype: 'int32' })], 1, { accumulate: true });
     * await x.array(); // [[2, 2, 2], [7, 0, 8]]
     * ```
     */
    indexPut_(indices: readonly Tensor[], values: Tensor | number | boolean, options?: IndexPutOptions): this;
  }
}
Tensor.prototype.indexPut = function (this: Tensor, indices: readonly Tensor[], values: Tensor | number | boolean, options?: IndexPutOptions): Tensor {
  return indexPut(this, indices, values, options);
};
Tensor.prototype.indexPut_ = function <T extends Tensor>(this: T, indices: readonly Tensor[], values: Tensor | number | boolean, options?: IndexPutOptions): T {
  return assignResult('indexPut_', this, () => indexPut(this, indices, values, options), true) as T;
};
