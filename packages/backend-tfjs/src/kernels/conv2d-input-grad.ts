import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { groupedConvNHWC, zeroInsert, td } from '../ops.js';

/**
 * The adjoint of conv2d as a stride-1 convolution (tfjs-core's conv2dTranspose has no dilation
 * and no groups): the output gradient with `stride - 1` zeros between its elements, padded by
 * `dilation·(k-1) - padding` (cropped where negative), convolved with the spatially flipped
 * kernel whose in/out channels are swapped per group.
 */
export const conv2dInputGrad: KernelFactory<'conv2dInputGrad'> = (h) => (g, w, bias, { stride, padding, dilation, groups, inputSize }) =>
  h.compute('conv2dInputGrad', g.dtype, () => {
    const [n, o, oh, ow] = g.shape as [number, number, number, number];
    const [, cg, kh, kw] = w.shape as [number, number, number, number];
    const [ih, iw] = inputSize;
    const c = cg * groups;
    const og = o / groups;
    if (n === 0 || c === 0 || ih === 0 || iw === 0 || oh === 0 || ow === 0 || og === 0) {
      const zero = tf.zeros([n, c, ih, iw], td(g.dtype));
      return bias ? tf.add(zero, tf.reshape(h.view(bias), [1, c, 1, 1])) : zero;
    }
    const spread = zeroInsert(h.view(g), stride[0], stride[1]);
    const gs = tf.transpose(spread, [0, 2, 3, 1]) as tf.Tensor4D;
    const ekh = dilation[0] * (kh - 1) + 1;
    const ekw = dilation[1] * (kw - 1) + 1;
    const top = ekh - 1 - padding[0];
    const left = ekw - 1 - padding[2];
    const bottom = ih - spread.shape[2]! - top + ekh - 1;
    const right = iw - spread.shape[3]! - left + ekw - 1;
    // w'[q·cg + c, k] = flip(w[q·og + k, c])
    const swapped = tf.reshape(tf.transpose(tf.reshape(h.view(w), [groups, og, cg, kh, kw]), [0, 2, 1, 3, 4]), [c, og, kh, kw]);
    const flipped = tf.reverse(swapped, [2, 3]) as tf.Tensor4D;
    let dx: tf.Tensor = groupedConvNHWC(gs, flipped, groups, [1, 1], [top, bottom, left, right], dilation);
    if (bias) dx = tf.add(dx, h.view(bias));
    return tf.transpose(dx, [0, 3, 1, 2]);
  });
