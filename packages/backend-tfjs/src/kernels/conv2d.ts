import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { groupedConvNHWC } from '../ops.js';

// tfjs convolves channels-last: NCHW is transposed in and out; groups, asymmetric padding and
// stride with dilation are handled in groupedConvNHWC/convNHWC (ops.ts)
export const conv2d: KernelFactory<'conv2d'> = (h) => (x, w, bias, { stride, padding, dilation, groups }) =>
  h.compute('conv2d', x.dtype, () => {
    const xs = tf.transpose(h.view(x), [0, 2, 3, 1]) as tf.Tensor4D;
    let y: tf.Tensor = groupedConvNHWC(xs, h.view(w) as tf.Tensor4D, groups, stride, padding, dilation);
    if (bias) y = tf.add(y, h.view(bias));
    return tf.transpose(y, [0, 3, 1, 2]);
  });
