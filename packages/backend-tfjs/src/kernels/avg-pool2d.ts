import * as tf from '@tensorflow/tfjs-core';
import { poolOutSize } from '@tensorgrad/tensor';
import type { KernelFactory } from '../host.js';
import { td, windowSlices } from '../ops.js';
import { avgDivisors } from '../pool.js';

/**
 * Average pooling in NCHW with PyTorch's divisors (tfjs's avgPool is NHWC, has no ceilMode and
 * always excludes the padding): the window positions of the zero-padded input are summed and
 * divided by each output's divisor (a window entirely in the padding sums to 0 and keeps it).
 */
export const avgPool2d: KernelFactory<'avgPool2d'> = (h) => (x, { kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride }) =>
  h.compute('avgPool2d', x.dtype, () => {
    const [n, c, ih, iw] = x.shape as [number, number, number, number];
    const [kh, kw] = kernelSize;
    const oh = poolOutSize(ih, kh, stride[0], padding[0], 1, ceilMode);
    const ow = poolOutSize(iw, kw, stride[1], padding[1], 1, ceilMode);
    if (n * c * oh * ow === 0) return tf.zeros([n, c, oh, ow], td(x.dtype));
    const wins = windowSlices(h.view(x), 0, kernelSize, stride, padding, [1, 1], [oh, ow]);
    const sums = wins.length === 1 ? wins[0]! : tf.addN(wins);
    const div = avgDivisors([ih, iw], [oh, ow], kernelSize, stride, padding, countIncludePad, divisorOverride);
    // [oh, ow] broadcast over the leading dims
    return tf.div(sums, tf.tensor(div.map((d) => (d === 0 ? 1 : d)), [oh, ow]));
  });
