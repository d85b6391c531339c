import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { toBool } from '../ops.js';

// rows of x [P, R] replaced (tensorScatterUpdate) or incremented (scatterND sums repeated rows;
// bool ORs) by the rows of values
export const indexPut: Kernel<'indexPut', TfjsBackend> = (ctx, x, index, values, { accumulate }) =>
  ctx.backend.compute('indexPut', ctx.dtype, () => {
    const xv = ctx.backend.view(x);
    const m = index.shape[0]!;
    if (m === 0 || x.shape[1] === 0) return tf.clone(xv);
    const rows = tf.reshape(ctx.backend.view(index), [m, 1]);
    const vals = ctx.backend.view(values);
    const bool = ctx.dtype === 'bool';
    if (!accumulate) {
      // tfjs-backend-cpu's tensorScatterUpdate writes into its input's buffer and returns it: given
      // x's own view it would change x (and every tensor sharing its storage — the upstream gradient
      // in indexPut's backward, which then read zeros), so it gets a copy (× 1 keeps −0 and NaN)
      if (!bool) return tf.tensorScatterUpdate(tf.mul(xv, tf.scalar(1, xv.dtype)), rows, vals);
      return toBool(tf.tensorScatterUpdate(tf.cast(xv, 'int32'), rows, tf.cast(vals, 'int32')));
    }
    const added = tf.scatterND(rows, bool ? tf.cast(vals, 'int32') : vals, [...x.shape]);
    return bool ? tf.logicalOr(xv, toBool(added)) : tf.add(xv, added);
  });
