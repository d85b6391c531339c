import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { roiAlignTables } from '../roi-align-tables.js';

// The adjoint of the roiAlign kernel with the same tables: each bin's gradient is gathered for
// its samples, weighted, and summed per pixel with scatterND (which adds repeated indices).
export const roiAlignBackward: Kernel<'roiAlignBackward', TfjsBackend> = (ctx, g, rois, attrs) =>
  ctx.backend.compute('roiAlignBackward', ctx.dtype, () => {
    const [n, c, h, w] = attrs.inputShape;
    const [k, , ph, pw] = g.shape as [number, number, number, number];
    const { pixel, weight, bin } = roiAlignTables(ctx.backend, rois, attrs, h, w);
    if (n * c * h * w === 0 || k * ph * pw === 0 || pixel.length === 0) return tf.zeros([...ctx.shape], 'float32');
    const bins = tf.reshape(tf.transpose(ctx.backend.view(g), [0, 2, 3, 1]), [k * ph * pw, c]);
    const samples = tf.mul(tf.gather(bins, tf.tensor1d(bin, 'int32')), tf.tensor2d(weight, [weight.length, 1]));
    const sums = tf.scatterND(tf.tensor2d(pixel, [pixel.length, 1], 'int32'), samples, [n * h * w, c]);
    return tf.transpose(tf.reshape(sums, [n, h, w, c]), [0, 3, 1, 2]);
  });
