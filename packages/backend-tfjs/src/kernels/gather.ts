import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';

// out[..., j, ...] = x[..., index[..., j, ...], ...] (PyTorch's gather; tfjs's gather is
// indexSelect): the storage offset of every output element is the part fixed by its position
// (every coordinate but `dim`, through x's strides) plus index · stride(dim); one tfjs gather of
// x's flat storage then reads them all, whatever x's layout
export const gather: Kernel<'gather', TfjsBackend> = (ctx, x, index, { dim }) =>
  ctx.backend.compute('gather', ctx.dtype, () => {
    const n = shapeSize(index.shape);
    if (n === 0) return tf.zeros([...ctx.shape], td(ctx.dtype));
    const nd = index.shape.length;
    const os = contiguousStrides(index.shape);
    const base = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let rem = i;
      let off = x.offset;
      for (let d = 0; d < nd; d++) {
        const c = Math.floor(rem / os[d]!);
        rem -= c * os[d]!;
        if (d !== dim) off += c * x.strides[d]!;
      }
      base[i] = off;
    }
    const offsets = tf.add(tf.tensor(base, [...index.shape], 'int32'), tf.mul(ctx.backend.view(index), tf.scalar(x.strides[dim] ?? 0, 'int32')));
    return tf.reshape(tf.gather(ctx.backend.storage(x), tf.reshape(offsets, [n])), [...ctx.shape]);
  });
