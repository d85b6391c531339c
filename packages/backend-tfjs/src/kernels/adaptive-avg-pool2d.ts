import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { td } from '../ops.js';
import { adaptiveMatrix } from '../pool.js';

/**
 * Adaptive average pooling as two products with averaging matrices, `A_h · X · A_wᵀ` (the window
 * mean is separable): tfjs has no adaptive pooling and its windows vary in size.
 */
export const adaptiveAvgPool2d: KernelFactory<'adaptiveAvgPool2d'> = (h) => (x, { outputSize }) =>
  h.compute('adaptiveAvgPool2d', x.dtype, () => {
    const [n, c, ih, iw] = x.shape as [number, number, number, number];
    const [oh, ow] = outputSize;
    if (n * c * oh * ow === 0) return tf.zeros([n, c, oh, ow], td(x.dtype));
    const ah = tf.tensor2d(adaptiveMatrix(ih, oh), [oh, ih]);
    const aw = tf.tensor2d(adaptiveMatrix(iw, ow), [ow, iw]);
    const rows = tf.matMul(tf.reshape(h.view(x), [n * c * ih, iw]), aw, false, true); // [N·C·H, ow]
    const cols = tf.reshape(tf.transpose(tf.reshape(rows, [n * c, ih, ow]), [0, 2, 1]), [n * c * ow, ih]);
    const out = tf.matMul(cols, ah, false, true); // [N·C·ow, oh]
    return tf.transpose(tf.reshape(out, [n, c, ow, oh]), [0, 1, 3, 2]);
  });
