import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { convNHWC, td } from '../ops.js';

/**
 * dW[o, c, i, j] = Σ_{n,y,x} g[n, o, y, x] · x[n, c, y·s + i·d - p, …]: a convolution of the input
 * (channels as the batch, the batch as channels) with the output gradient as the filter, the
 * stride and dilation trading places. tfjs-wasm has no Conv2DBackpropFilter, and this form also
 * covers groups (one convolution per group) and dilation on both engines.
 */
export const conv2dWeightGrad: Kernel<'conv2dWeightGrad', TfjsBackend> = (ctx, x, grad) =>
  ctx.backend.compute('conv2dWeightGrad', ctx.dtype, () => {
    const { n, c, h, w, o, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw, groups } = ctx.geometry;
    const cg = c / groups;
    const og = o / groups;
    if (n === 0 || oh === 0 || ow === 0 || cg === 0 || og === 0) return tf.zeros([...ctx.shape], td(ctx.dtype));
    // the padding after the input that makes the result exactly kh × kw (negative: crop)
    const bottom = dh * (kh - 1) + sh * (oh - 1) + 1 - h - pt;
    const right = dw * (kw - 1) + sw * (ow - 1) + 1 - w - pl;
    const xt = tf.transpose(ctx.backend.view(x), [1, 2, 3, 0]) as tf.Tensor4D; // [C, H, W, N]
    const gt = tf.transpose(ctx.backend.view(grad), [2, 3, 0, 1]) as tf.Tensor4D; // [oh, ow, N, O]
    const parts: tf.Tensor[] = [];
    for (let q = 0; q < groups; q++) {
      const xq = groups === 1 ? xt : (tf.slice(xt, [q * cg, 0, 0, 0], [cg, h, w, n]) as tf.Tensor4D);
      const gq = groups === 1 ? gt : (tf.slice(gt, [0, 0, 0, q * og], [oh, ow, n, og]) as tf.Tensor4D);
      // stride and dilation trade places
      const dW = convNHWC(xq, gq, [dh, dw], [pt, bottom, pl, right], [sh, sw]); // [cg, kh, kw, og]
      parts.push(tf.transpose(dW, [3, 0, 1, 2]));
    }
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  });
