import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import { contiguousStrides, type Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { toBool } from '../ops.js';

// out = x, plus src[p] at x-position p with coordinate `dim` replaced by index[p], for every p of
// index's extent: the flat output positions (as for gather) go to tfjs's scatterND, which sums
// repeated positions; bool adds as logical or
export const scatterAdd: Kernel<'scatterAdd', TfjsBackend> = (ctx, x, index, src, { dim }) =>
  ctx.backend.compute('scatterAdd', ctx.dtype, () => {
    const xv = ctx.backend.view(x);
    const n = shapeSize(index.shape);
    if (n === 0) return tf.clone(xv);
    const size = shapeSize(x.shape);
    const nd = index.shape.length;
    const is = contiguousStrides(index.shape);
    const xs = contiguousStrides(x.shape);
    const base = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let rem = i;
      let off = 0;
      for (let d = 0; d < nd; d++) {
        const c = Math.floor(rem / is[d]!);
        rem -= c * is[d]!;
        if (d !== dim) off += c * xs[d]!;
      }
      base[i] = off;
    }
    const positions = tf.add(tf.tensor(base, [...index.shape], 'int32'), tf.mul(ctx.backend.view(index), tf.scalar(xs[dim] ?? 1, 'int32')));
    // only index's extent of src takes part (src may be larger)
    const values = ctx.backend.view({ ...src, shape: index.shape });
    const update = x.dtype === 'bool' ? tf.cast(values, 'int32') : values;
    const scattered = tf.reshape(tf.scatterND(tf.reshape(positions, [n, 1]), tf.reshape(update, [n]), [size]), [...x.shape]);
    return x.dtype === 'bool' ? tf.logicalOr(xv, toBool(scattered)) : tf.add(xv, scattered);
  });
