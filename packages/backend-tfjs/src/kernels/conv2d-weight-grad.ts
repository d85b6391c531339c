import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { convNHWC, td } from '../ops.js';

/**
 * dW[o, c, i, j] = Σ_{n,y,x} g[n, o, y, x] · x[n, c, y·s + i·d - p, …]: a convolution of the input
 * (channels as the batch, the batch as channels) with the output gradient as the filter, the
 * stride and dilation trading places. tfjs-wasm has no Conv2DBackpropFilter, and this form also
 * covers groups (one convolution per group) and dilation on both engines.
 */
export const conv2dWeightGrad: KernelFactory<'conv2dWeightGrad'> = (h) => (x, g, { stride, padding, dilation, groups, kernelSize }) =>
  h.compute('conv2dWeightGrad', x.dtype, () => {
    const [n, c, ih, iw] = x.shape as [number, number, number, number];
    const [, o, oh, ow] = g.shape as [number, number, number, number];
    const [kh, kw] = kernelSize;
    const cg = c / groups;
    const og = o / groups;
    if (n === 0 || oh === 0 || ow === 0 || cg === 0 || og === 0) return tf.zeros([o, cg, kh, kw], td(x.dtype));
    const [pt, , pl] = padding;
    // the padding after the input that makes the result exactly kh × kw (negative: crop)
    const bottom = dilation[0] * (kh - 1) + stride[0] * (oh - 1) + 1 - ih - pt;
    const right = dilation[1] * (kw - 1) + stride[1] * (ow - 1) + 1 - iw - pl;
    const xt = tf.transpose(h.view(x), [1, 2, 3, 0]) as tf.Tensor4D; // [C, H, W, N]
    const gt = tf.transpose(h.view(g), [2, 3, 0, 1]) as tf.Tensor4D; // [oh, ow, N, O]
    const parts: tf.Tensor[] = [];
    for (let q = 0; q < groups; q++) {
      const xq = groups === 1 ? xt : (tf.slice(xt, [q * cg, 0, 0, 0], [cg, ih, iw, n]) as tf.Tensor4D);
      const gq = groups === 1 ? gt : (tf.slice(gt, [0, 0, 0, q * og], [oh, ow, n, og]) as tf.Tensor4D);
      const dw = convNHWC(xq, gq, dilation, [pt, bottom, pl, right], stride); // [cg, kh, kw, og]
      parts.push(tf.transpose(dw, [3, 0, 1, 2]));
    }
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  });
