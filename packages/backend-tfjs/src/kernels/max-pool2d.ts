import * as tf from '@tensorflow/tfjs-core';
import { poolOutSize } from '@tensorgrad/tensor';
import type { KernelFactory } from '../host.js';
import { td, windowSlices } from '../ops.js';
import { maxPoolTables } from '../pool.js';

/**
 * Max pooling with PyTorch's indices (into each H·W plane), dilation and ceilMode, composed in
 * NCHW: tfjs's cpu and wasm maxPool return no indices (maxPoolWithArgmax flattens NHWC, and has no
 * dilation, ceilMode or NaN propagation). The reference's scan, one window position at a time over
 * whole tensors: a position replaces the running maximum when it is larger or NaN (`!(v <= best)`)
 * and the maximum is not NaN yet; padding reads −Infinity, which never replaces, and the index
 * starts at the window's first position inside the input.
 */
export const maxPool2d: KernelFactory<'maxPool2d'> = (h) => (x, { kernelSize, stride, padding, dilation, ceilMode }) => {
  const [values, indices] = h.computeMany('maxPool2d', [x.dtype, 'int32'], () => {
    const [n, c, ih, iw] = x.shape as [number, number, number, number];
    const [kh, kw] = kernelSize;
    const oh = poolOutSize(ih, kh, stride[0], padding[0], dilation[0], ceilMode);
    const ow = poolOutSize(iw, kw, stride[1], padding[1], dilation[1], ceilMode);
    if (n * c * oh * ow === 0) return [tf.zeros([n, c, oh, ow], td(x.dtype)), tf.zeros([n, c, oh, ow], 'int32')];
    const float = x.dtype === 'float32';
    const low = float ? -Infinity : -2147483648;
    const wins = windowSlices(h.view(x), low, kernelSize, stride, padding, dilation, [oh, ow]);
    const { position, first } = maxPoolTables([ih, iw], [oh, ow], kernelSize, stride, padding, dilation);
    const k = kh * kw;
    let best = tf.fill([n, c, oh, ow], low, td(x.dtype));
    // the [oh, ow] tables are broadcast over N and C (see expand)
    let idx = h.expand(tf.tensor(first, [oh, ow], 'int32'), [n, c, oh, ow]);
    for (let p = 0; p < k; p++) {
      const v = wins[p]!;
      const keep = float ? tf.logicalOr(tf.lessEqual(v, best), tf.isNaN(best)) : tf.lessEqual(v, best);
      best = tf.where(keep, best, v);
      const pos = tf.tensor(position.subarray(p * oh * ow, (p + 1) * oh * ow), [oh, ow], 'int32');
      idx = tf.where(keep, idx, h.expand(pos, [n, c, oh, ow]));
    }
    return [best, idx];
  });
  return [values!, indices!];
};
