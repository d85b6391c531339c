import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

/**
 * One Adam/AdamW step in one tfjs scope: the op-by-op update's arithmetic (every intermediate a
 * float32 tensor, scalars rounded to float32), then the parameter and the moments replaced.
 */
export const adamUpdate_: Kernel<'adamUpdate_', TfjsBackend> = (ctx, param, grad, expAvg, expAvgSq, maxExpAvgSq, o) => {
  const targets = maxExpAvgSq ? [param, expAvg, expAvgSq, maxExpAvgSq] : [param, expAvg, expAvgSq];
  ctx.backend.update('adamUpdate_', targets, () => {
    const s = (v: number): tf.Scalar => tf.scalar(v, 'float32');
    let p = ctx.backend.view(param);
    let g = ctx.backend.view(grad);
    if (o.maximize) g = tf.neg(g);
    if (o.decoupled) p = tf.mul(p, s(1 - o.lr * o.weightDecay));
    else if (o.weightDecay !== 0) g = tf.add(g, tf.mul(p, s(o.weightDecay)));
    const m = tf.add(tf.mul(ctx.backend.view(expAvg), s(o.beta1)), tf.mul(g, s(1 - o.beta1)));
    const v = tf.add(tf.mul(ctx.backend.view(expAvgSq), s(o.beta2)), tf.mul(tf.mul(g, g), s(1 - o.beta2)));
    let second = v;
    if (maxExpAvgSq) {
      const prev = ctx.backend.view(maxExpAvgSq);
      // the reference's `prev >= v ? prev : v` (a NaN v wins, as does v over a NaN prev)
      second = tf.where(tf.greaterEqual(prev, v), prev, v);
    }
    const denom = tf.add(tf.div(tf.sqrt(second), s(Math.sqrt(1 - o.beta2 ** o.step))), s(o.eps));
    const next = tf.add(p, tf.mul(tf.div(m, denom), s(-(o.lr / (1 - o.beta1 ** o.step)))));
    return maxExpAvgSq ? [next, m, v, second] : [next, m, v];
  });
};
