import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td, windowSlices } from '../ops.js';
import { maxPoolTables } from '../pool.js';

/**
 * Max pooling with PyTorch's indices (into each H·W plane), dilation and ceilMode, composed in
 * NCHW: tfjs's cpu and wasm maxPool return no indices (maxPoolWithArgmax flattens NHWC, and has no
 * dilation, ceilMode or NaN propagation). The reference's scan, one window position at a time over
 * whole tensors: a position replaces the running maximum when it is larger or NaN (`!(v <= best)`)
 * and the maximum is not NaN yet; padding reads −Infinity, which never replaces, and the index
 * starts at the window's first position inside the input.
 */
export const maxPool2d: Kernel<'maxPool2d', TfjsBackend> = (ctx, x) => {
  const b = ctx.backend;
  const [values, indices] = b.computeMany('maxPool2d', [ctx.dtype, 'int32'], () => {
    const g = ctx.geometry;
    const shape = [...ctx.shape];
    if (g.n * g.c * g.oh * g.ow === 0) return [tf.zeros(shape, td(ctx.dtype)), tf.zeros(shape, 'int32')];
    const float = ctx.dtype === 'float32';
    const low = float ? -Infinity : -2147483648;
    const wins = windowSlices(b.view(x), low, g);
    const { position, first } = maxPoolTables(g);
    const plane = g.oh * g.ow;
    let best = tf.fill(shape, low, td(ctx.dtype));
    // the [oh, ow] tables are broadcast over N and C (see expand)
    let idx = b.expand(tf.tensor(first, [g.oh, g.ow], 'int32'), shape);
    for (let p = 0; p < g.kh * g.kw; p++) {
      const v = wins[p]!;
      const keep = float ? tf.logicalOr(tf.lessEqual(v, best), tf.isNaN(best)) : tf.lessEqual(v, best);
      best = tf.where(keep, best, v);
      const pos = tf.tensor(position.subarray(p * plane, (p + 1) * plane), [g.oh, g.ow], 'int32');
      idx = tf.where(keep, idx, b.expand(pos, shape));
    }
    return [best, idx];
  });
  return [values!, indices!];
};
