import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { extremum } from '../ops.js';

/**
 * `exp(x - max) / Σ exp(x - max)` (or `x - max - log Σ …`) along any dim: tfjs's softmax only
 * works along the last dim. The max propagates NaN, and an all -Infinity lane gives NaN
 * (-Infinity - -Infinity), as in PyTorch.
 */
export function softmaxAlong(x: tf.Tensor, dim: number, log: boolean): tf.Tensor {
  if (x.size === 0) return tf.clone(x);
  const scalar = x.rank === 0;
  const v = scalar ? tf.reshape(x, [1]) : x;
  const d = scalar ? 0 : dim;
  const shifted = tf.sub(v, extremum(v, d, 'max', false).values);
  const e = tf.exp(shifted);
  const s = tf.sum(e, d, true);
  const out = log ? tf.sub(shifted, tf.log(s)) : tf.div(e, s);
  return scalar ? tf.reshape(out, []) : out;
}

export const softmax: KernelFactory<'softmax'> = (h) => (x, { dim }) => h.compute('softmax', x.dtype, () => softmaxAlong(h.view(x), dim, false));
