import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { td } from '../ops.js';
import { adaptiveMatrix } from '../pool.js';

/** The adjoint of adaptiveAvgPool2d, `A_hᵀ · G · A_w` (see adaptive-avg-pool2d.ts). */
export const adaptiveAvgPool2dBackward: KernelFactory<'adaptiveAvgPool2dBackward'> = (h) => (g, { inputSize }) =>
  h.compute('adaptiveAvgPool2dBackward', g.dtype, () => {
    const [n, c, oh, ow] = g.shape as [number, number, number, number];
    const [ih, iw] = inputSize;
    if (n * c * ih * iw === 0 || oh * ow === 0) return tf.zeros([n, c, ih, iw], td(g.dtype));
    const ah = tf.tensor2d(adaptiveMatrix(ih, oh), [oh, ih]);
    const aw = tf.tensor2d(adaptiveMatrix(iw, ow), [ow, iw]);
    const rows = tf.matMul(tf.reshape(h.view(g), [n * c * oh, ow]), aw); // [N·C·oh, W]
    const cols = tf.reshape(tf.transpose(tf.reshape(rows, [n * c, oh, iw]), [0, 2, 1]), [n * c * iw, oh]);
    const out = tf.matMul(cols, ah); // [N·C·W, H]
    return tf.transpose(tf.reshape(out, [n, c, iw, ih]), [0, 1, 3, 2]);
  });
