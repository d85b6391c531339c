import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';
import { adaptiveMatrix } from '../pool.js';

/** The adjoint of adaptiveAvgPool2d, `A_hᵀ · G · A_w` (see adaptive-avg-pool2d.ts). */
export const adaptiveAvgPool2dBackward: Kernel<'adaptiveAvgPool2dBackward', TfjsBackend> = (ctx, g) =>
  ctx.backend.compute('adaptiveAvgPool2dBackward', ctx.dtype, () => {
    const [n, c, ih, iw] = ctx.shape as [number, number, number, number];
    const [, , oh, ow] = g.shape as [number, number, number, number];
    if (n * c * ih * iw === 0 || oh * ow === 0) return tf.zeros([n, c, ih, iw], td(ctx.dtype));
    const ah = tf.tensor2d(adaptiveMatrix(ih, oh), [oh, ih]);
    const aw = tf.tensor2d(adaptiveMatrix(iw, ow), [ow, iw]);
    const rows = tf.matMul(tf.reshape(ctx.backend.view(g), [n * c * oh, ow]), aw); // [N·C·oh, W]
    const cols = tf.reshape(tf.transpose(tf.reshape(rows, [n * c, oh, iw]), [0, 2, 1]), [n * c * iw, oh]);
    const out = tf.matMul(cols, ah); // [N·C·W, H]
    return tf.transpose(tf.reshape(out, [n, c, iw, ih]), [0, 1, 3, 2]);
  });
