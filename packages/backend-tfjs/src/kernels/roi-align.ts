import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { roiAlignTables } from '../roi-align-tables.js';

// RoIAlign from tfjs ops: the input's pixels as rows `[N·H·W, C]`, gathered at the host-computed
// sample corners, weighted, and summed per bin with scatterND (which adds repeated indices; tfjs's
// wasm engine has no unsortedSegmentSum). Samples outside the image are left out (torchvision multiplies pixel 0 by a zero weight there: the same unless pixel 0 is
// not finite).
export const roiAlign: Kernel<'roiAlign', TfjsBackend> = (ctx, x, rois, attrs) =>
  ctx.backend.compute('roiAlign', ctx.dtype, () => {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const [k, , ph, pw] = ctx.shape as [number, number, number, number];
    const { pixel, weight, bin } = roiAlignTables(ctx.backend, rois, attrs, h, w);
    if (k * c * ph * pw === 0 || pixel.length === 0) return tf.zeros([...ctx.shape], 'float32');
    const planes = tf.reshape(tf.transpose(ctx.backend.view(x), [0, 2, 3, 1]), [n * h * w, c]);
    const samples = tf.mul(tf.gather(planes, tf.tensor1d(pixel, 'int32')), tf.tensor2d(weight, [weight.length, 1]));
    const sums = tf.scatterND(tf.tensor2d(bin, [bin.length, 1], 'int32'), samples, [k * ph * pw, c]);
    return tf.transpose(tf.reshape(sums, [k, ph, pw, c]), [0, 3, 1, 2]);
  });
