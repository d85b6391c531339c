/** A tensor shape: one non-negative integer per dimension; `[]` is a 0-d scalar. */
export type Shape = readonly number[];

/**
 * The number of elements of a shape.
 *
 * @example
 * ```ts
 * import { shapeSize } from '@tensorgrad/tensor';
 * shapeSize([2, 3]); // 6
 * ```
 */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C order) strides of a contiguous tensor of `shape`.
 *
 * @example
 * ```ts
 * import { contiguousStrides } from '@tensorgrad/tensor/backend';
 * contiguousStrides([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return strides;
}

/**
 * Whether a layout (shape and element strides) is row-major contiguous: dims of size 1 may have
 * any stride, and the offset does not matter. The test every backend makes before reading a view
 * as one flat run of elements.
 *
 * @example
 * ```ts
 * import { isContiguousLayout } from '@tensorgrad/tensor/backend';
 * isContiguousLayout([2, 3], [3, 1]); // true
 * isContiguousLayout([2, 3], [1, 2]); // false
 * ```
 */
export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Storage offsets of every element of a strided view, in row-major order (an odometer over the
 * leading dims, the last dim as the inner loop). For contiguous views use `offset + i` instead.
 *
 * @example
 * ```ts
 * import { stridedOffsets } from '@tensorgrad/tensor/backend';
 * Array.from(stridedOffsets([2, 2], [1, 2], 0)); // [0, 2, 1, 3]
 * ```
 */
export function stridedOffsets(shape: Shape, strides: readonly number[], offset: number): Int32Array {
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Int32Array(n);
  const nd = shape.length;
  if (n === 0) return out;
  if (nd === 0) {
    out[0] = offset;
    return out;
  }
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const lastLen = shape[last]!;
  const lastStride = strides[last]!;
  let base = offset;
  let k = 0;
  for (;;) {
    for (let j = 0, off = base; j < lastLen; j++, off += lastStride) out[k++] = off;
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return out;
}

/**
 * Formats a shape as `[2,3]` for error messages.
 *
 * @example
 * ```ts
 * import { formatShape } from '@tensorgrad/tensor';
 * formatShape([2, 3]); // '[2,3]'
 * ```
 */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/**
 * Whether two shapes are equal.
 *
 * @example
 * ```ts
 * import { shapesEqual } from '@tensorgrad/tensor';
 * shapesEqual([2, 3], [2, 3]); // true
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Normalises a possibly negative dimension index for a tensor of `ndim` dimensions, throwing a
 * clear error naming `op` when it is out of range. `ndim` 0 accepts -1 and 0, like PyTorch.
 *
 * @example
 * ```ts
 * import { normalizeDim } from '@tensorgrad/tensor/backend';
 * normalizeDim('sum', -1, 3); // 2
 * ```
 */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(
      `${op}: dimension out of range: expected an integer in [${-n}, ${n - 1}] for a ${ndim}-d tensor, got ${dim}`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/**
 * PyTorch's broadcasting of two shapes; throws an error naming `op` when they are incompatible.
 *
 * @example
 * ```ts
 * import { broadcastShapes } from '@tensorgrad/tensor';
 * broadcastShapes('add', [3, 1], [1, 4]); // [3, 4]
 * ```
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast: ` +
          `size ${da} != ${db} at dimension ${i} (counting from the left of the broadcast shape); ` +
          `each dimension must be equal or 1`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that view a tensor of `shape`/`strides` as the broadcast shape `target`
 * (stride 0 along broadcast dimensions). The shapes must already be broadcast-compatible.
 *
 * @example
 * ```ts
 * import { broadcastStrides } from '@tensorgrad/tensor/backend';
 * broadcastStrides([3, 1], [1, 1], [3, 4]); // [1, 0]
 * ```
 */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[i + off] = shape[i] === 1 && target[i + off] !== 1 ? 0 : strides[i]!;
  }
  return out;
}

/**
 * The shape of a reduction of `shape` over `dim` (one dim, a list, or `null` for all dims): the
 * reduced dims are dropped, or kept with size 1 when `keepdim` (a full reduction without
 * `keepdim` is 0-d).
 *
 * @example
 * ```ts
 * import { reducedShape } from '@tensorgrad/tensor/backend';
 * reducedShape([2, 3, 4], [1], false); // [2, 4]
 * reducedShape([2, 3, 4], 2, true); // [2, 3, 1]
 * reducedShape([2, 3], null, false); // []
 * ```
 */
export function reducedShape(shape: Shape, dim: number | readonly number[] | null, keepdim: boolean): number[] {
  const dims = dim === null ? null : typeof dim === 'number' ? [dim] : dim;
  const out: number[] = [];
  shape.forEach((size, i) => {
    if (dims !== null && !dims.includes(i)) out.push(size);
    else if (keepdim) out.push(1);
  });
  return out;
}
