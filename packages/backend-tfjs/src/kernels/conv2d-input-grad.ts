import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { groupedConvNHWC, zeroInsert, td } from '../ops.js';

/**
 * The adjoint of conv2d as a stride-1 convolution (tfjs-core's conv2dTranspose has no dilation
 * and no groups): the output gradient with `stride - 1` zeros between its elements, padded by
 * `dilation·(k-1) - padding` (cropped where negative), convolved with the spatially flipped
 * kernel whose in/out channels are swapped per group.
 */
export const conv2dInputGrad: Kernel<'conv2dInputGrad', TfjsBackend> = (ctx, grad, w, bias) =>
  ctx.backend.compute('conv2dInputGrad', ctx.dtype, () => {
    const { n, c, h, w: iw, o, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw, groups } = ctx.geometry;
    const cg = c / groups;
    const og = o / groups;
    if (n === 0 || c === 0 || h === 0 || iw === 0 || oh === 0 || ow === 0 || og === 0) {
      const zero = tf.zeros([...ctx.shape], td(ctx.dtype));
      return bias ? tf.add(zero, tf.reshape(ctx.backend.view(bias), [1, c, 1, 1])) : zero;
    }
    const spread = zeroInsert(ctx.backend.view(grad), sh, sw);
    const gs = tf.transpose(spread, [0, 2, 3, 1]) as tf.Tensor4D;
    const ekh = dh * (kh - 1) + 1;
    const ekw = dw * (kw - 1) + 1;
    const top = ekh - 1 - pt;
    const left = ekw - 1 - pl;
    const bottom = h - spread.shape[2]! - top + ekh - 1;
    const right = iw - spread.shape[3]! - left + ekw - 1;
    // w'[q·cg + c, k] = flip(w[q·og + k, c])
    const swapped = tf.reshape(tf.transpose(tf.reshape(ctx.backend.view(w), [groups, og, cg, kh, kw]), [0, 2, 1, 3, 4]), [c, og, kh, kw]);
    const flipped = tf.reverse(swapped, [2, 3]) as tf.Tensor4D;
    let dx: tf.Tensor = groupedConvNHWC(gs, flipped, groups, [1, 1], [top, bottom, left, right], [dh, dw]);
    if (bias) dx = tf.add(dx, ctx.backend.view(bias));
    return tf.transpose(dx, [0, 3, 1, 2]);
  });
