import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// torchvision's _roi_pool_backward from tfjs ops: every bin's gradient goes to segment
// `(batch·C + c)·H·W + argmax` of the flattened input (the batch indices read back from the
// RoIs), or to a dropped extra position for argmax -1; scatterND adds repeated positions up.
export const roiPoolBackward: Kernel<'roiPoolBackward', TfjsBackend> = (ctx, g, rois, argmax, { inputShape }) =>
  ctx.backend.compute('roiPoolBackward', ctx.dtype, () => {
    const [n, c, h, w] = inputShape;
    const [k, , ph, pw] = g.shape as [number, number, number, number];
    const total = n * c * h * w;
    if (total === 0 || k * c * ph * pw === 0) return tf.zeros([...ctx.shape], 'float32');
    const r = ctx.backend.view(rois).dataSync();
    const base = new Int32Array(k * c);
    for (let i = 0; i < k; i++) for (let ch = 0; ch < c; ch++) base[i * c + ch] = (Math.trunc(r[i * 5]!) * c + ch) * h * w;
    const a = ctx.backend.view(argmax);
    const seg = tf.where(tf.greaterEqual(a, 0), tf.add(a, tf.tensor4d(base, [k, c, 1, 1], 'int32')), tf.fill(a.shape, total, 'int32'));
    const sums = tf.scatterND(tf.reshape(seg, [-1, 1]), tf.reshape(ctx.backend.view(g), [-1]), [total + 1]);
    return tf.reshape(tf.slice(sums, [0], [total]), [n, c, h, w]);
  });
