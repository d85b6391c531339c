import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

const K_BETA = Math.sqrt(2 / Math.PI);
const K_KAPPA = 0.044715;

// tfjs has no gelu: composed from erf (exact) or, for the tanh approximation, from
// 0.5·x·(1 + tanh(u)) = x·sigmoid(2u), which has no cancellation for negative x
export const gelu: Kernel<'gelu', TfjsBackend> = (ctx, x, { approximate }) =>
  ctx.backend.compute('gelu', ctx.dtype, () => {
    const v = ctx.backend.view(x);
    if (approximate === 'tanh') {
      const u = tf.mul(tf.add(v, tf.mul(tf.scalar(K_KAPPA), tf.mul(tf.square(v), v))), tf.scalar(2 * K_BETA));
      return tf.mul(v, tf.sigmoid(u));
    }
    return tf.mul(tf.mul(v, tf.scalar(0.5)), tf.add(tf.scalar(1), tf.erf(tf.mul(v, tf.scalar(Math.SQRT1_2)))));
  });
