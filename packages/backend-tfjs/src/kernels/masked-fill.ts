import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { select, td } from '../ops.js';

export const maskedFill: Kernel<'maskedFill', TfjsBackend> = (ctx, x, mask, { value }) =>
  ctx.backend.compute('maskedFill', ctx.dtype, () => {
    // tfjs broadcasts a size-0 dim against a size-1 one to 1 (a [1, 1] mask made a [0, 1] input [1, 1])
    if (ctx.shape.includes(0)) return tf.zeros([...ctx.shape], td(ctx.dtype));
    const v = ctx.backend.view(x);
    const fill = tf.scalar(x.dtype === 'bool' ? Number(value !== 0) : value, td(x.dtype));
    return select(ctx.backend.view(mask), tf.broadcastTo(fill, [...ctx.shape]), v);
  });
