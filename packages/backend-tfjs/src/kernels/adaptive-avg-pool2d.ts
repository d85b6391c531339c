import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';
import { adaptiveMatrix } from '../pool.js';

/**
 * Adaptive average pooling as two products with averaging matrices, `A_h · X · A_wᵀ` (the window
 * mean is separable): tfjs has no adaptive pooling and its windows vary in size.
 */
export const adaptiveAvgPool2d: Kernel<'adaptiveAvgPool2d', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('adaptiveAvgPool2d', ctx.dtype, () => {
    const [n, c, oh, ow] = ctx.shape as [number, number, number, number];
    const [, , ih, iw] = x.shape as [number, number, number, number];
    if (n * c * oh * ow === 0) return tf.zeros([n, c, oh, ow], td(ctx.dtype));
    const ah = tf.tensor2d(adaptiveMatrix(ih, oh), [oh, ih]);
    const aw = tf.tensor2d(adaptiveMatrix(iw, ow), [ow, iw]);
    const rows = tf.matMul(tf.reshape(ctx.backend.view(x), [n * c * ih, iw]), aw, false, true); // [N·C·H, ow]
    const cols = tf.reshape(tf.transpose(tf.reshape(rows, [n * c, ih, ow]), [0, 2, 1]), [n * c * ow, ih]);
    const out = tf.matMul(cols, ah, false, true); // [N·C·ow, oh]
    return tf.transpose(tf.reshape(out, [n, c, ow, oh]), [0, 1, 3, 2]);
  });
