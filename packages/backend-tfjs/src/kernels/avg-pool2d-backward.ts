import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { td, windowAdjoint } from '../ops.js';
import { avgDivisors } from '../pool.js';

/**
 * The adjoint of avgPool2d: each output gradient divided by its divisor, added back at every
 * element of its window (the adjoint of the forward's window slices; tfjs's avgPoolGrad has
 * neither ceilMode nor PyTorch's divisors).
 */
export const avgPool2dBackward: KernelFactory<'avgPool2dBackward'> = (h) => (g, { kernelSize, stride, padding, countIncludePad, divisorOverride, inputSize }) =>
  h.compute('avgPool2dBackward', g.dtype, () => {
    const [n, c, oh, ow] = g.shape as [number, number, number, number];
    const [ih, iw] = inputSize;
    if (n * c * oh * ow === 0 || ih * iw === 0) return tf.zeros([n, c, ih, iw], td(g.dtype));
    const div = avgDivisors([ih, iw], [oh, ow], kernelSize, stride, padding, countIncludePad, divisorOverride);
    // a window entirely in the padding only reaches padding, which is dropped: any divisor will do
    const scaled = tf.div(h.view(g), tf.tensor(div.map((d) => (d === 0 ? 1 : d)), [oh, ow]));
    const parts = new Array<tf.Tensor>(kernelSize[0] * kernelSize[1]).fill(scaled);
    return windowAdjoint(parts, [ih, iw], kernelSize, stride, padding, [1, 1]);
  });
