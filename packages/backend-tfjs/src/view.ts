/**
 * Strided views as tfjs tensors. Storage is a flat 1-D tfjs tensor; a kernel view (shape, element
 * strides, offset) becomes a tfjs tensor of its logical shape with tfjs ops only (the data never
 * comes back to JavaScript): a reshape, a slice, a transpose or a broadcast where the layout
 * allows, else one `gather` of the flat storage with an index tensor.
 */
import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import { isContiguousLayout, stridedOffsets, type KernelTensor } from '@tensorgrad/tensor/backend';

/** How {@link materialise} turns a view into a tensor (exposed for tests). */
export type ViewPath = 'empty' | 'reshape' | 'slice' | 'transpose' | 'broadcast' | 'gather';

/**
 * The permutation that makes a view contiguous when its dims are reordered (a `permute`d or
 * transposed tensor): `perm[k]` is the view dim stored k-th. Null when no reordering is contiguous.
 */
function contiguousOrder(shape: readonly number[], strides: readonly number[]): number[] | null {
  const dims = shape.map((_, i) => i);
  // size-1 dims go last in storage order: their stride is irrelevant
  dims.sort((a, b) => {
    const sa = shape[a] === 1 ? -1 : strides[a]!;
    const sb = shape[b] === 1 ? -1 : strides[b]!;
    return sb - sa || a - b;
  });
  let expected = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k]!;
    if (shape[d] === 1) continue;
    if (strides[d] !== expected) return null;
    expected *= shape[d]!;
  }
  return dims;
}

/** Which path {@link materialise} takes for view `t` of a storage of `storageSize` elements. */
export function viewPath(t: Pick<KernelTensor, 'shape' | 'strides' | 'offset'>, storageSize: number): ViewPath {
  const n = shapeSize(t.shape);
  if (n === 0) return 'empty';
  if (t.shape.some((d, i) => d > 1 && t.strides[i] === 0)) return 'broadcast';
  if (isContiguousLayout(t.shape, t.strides)) return t.offset === 0 && n === storageSize ? 'reshape' : 'slice';
  if (contiguousOrder(t.shape, t.strides)) return 'transpose';
  return 'gather';
}

/**
 * The logical tensor of view `t` over the flat storage tensor `storage`. Always a new tensor
 * object (never `storage` itself), so that a kernel may return it.
 */
export function materialise(storage: tf.Tensor, t: Pick<KernelTensor, 'shape' | 'strides' | 'offset' | 'dtype'>): tf.Tensor {
  const shape = [...t.shape];
  const n = shapeSize(shape);
  switch (viewPath(t, storage.size)) {
    case 'empty':
      return tf.zeros(shape, storage.dtype);
    case 'reshape':
      return tf.reshape(storage, shape);
    case 'slice':
      return tf.reshape(tf.slice(storage, [t.offset], [n]), shape);
    case 'broadcast':
      return expand(unexpanded(storage, t), shape);
    case 'transpose': {
      const order = contiguousOrder(shape, t.strides)!;
      const stored = tf.reshape(tf.slice(storage, [t.offset], [n]), order.map((d) => shape[d]!));
      // output dim d is stored dim order.indexOf(d)
      const perm = shape.map((_, d) => order.indexOf(d));
      return tf.transpose(stored, perm);
    }
    case 'gather': {
      const index = tf.tensor1d(stridedOffsets(shape, t.strides, t.offset), 'int32');
      return tf.reshape(tf.gather(storage, index), shape);
    }
  }
}

/**
 * The view without its broadcast dims (size 1 there, leading size-1 dims dropped): what tfjs's
 * binary ops broadcast by themselves. The same as {@link materialise} for a view without
 * broadcast dims.
 */
export function unexpanded(storage: tf.Tensor, t: Pick<KernelTensor, 'shape' | 'strides' | 'offset' | 'dtype'>): tf.Tensor {
  if (!t.shape.some((d, i) => d > 1 && t.strides[i] === 0)) return materialise(storage, t);
  const baseShape = t.shape.map((d, i) => (d > 1 && t.strides[i] === 0 ? 1 : d));
  const base = materialise(storage, { ...t, shape: baseShape });
  let lead = 0;
  while (lead < baseShape.length && baseShape[lead] === 1) lead++;
  return lead > 0 ? tf.reshape(base, baseShape.slice(lead)) : base;
}

/**
 * `x` broadcast to `shape` (a no-op when it has that shape already). A product with ones rather
 * than `broadcastTo`, whose Tile kernel is an order of magnitude slower on both engines; an `x`
 * whose shape is a suffix of `shape` takes the cpu engine's fast broadcast.
 */
export function expand(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const ones = tf.ones([...shape], x.dtype);
  return x.dtype === 'bool' ? tf.logicalAnd(ones, x) : tf.mul(ones, x);
}

