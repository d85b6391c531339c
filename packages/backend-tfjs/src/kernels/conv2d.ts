import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { groupedConvNHWC } from '../ops.js';

// tfjs convolves channels-last: NCHW is transposed in and out; groups, asymmetric padding and
// stride with dilation are handled in groupedConvNHWC/convNHWC (ops.ts)
export const conv2d: Kernel<'conv2d', TfjsBackend> = (ctx, x, w, bias) =>
  ctx.backend.compute('conv2d', ctx.dtype, () => {
    const g = ctx.geometry;
    const xs = tf.transpose(ctx.backend.view(x), [0, 2, 3, 1]) as tf.Tensor4D;
    let y: tf.Tensor = groupedConvNHWC(xs, ctx.backend.view(w) as tf.Tensor4D, g.groups, [g.sh, g.sw], [g.pt, g.pb, g.pl, g.pr], [g.dh, g.dw]);
    if (bias) y = tf.add(y, ctx.backend.view(bias));
    return tf.transpose(y, [0, 3, 1, 2]);
  });
