import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// tfjs's cumsum along the axis (float32 or int32: the front-end converts bool to int32); a 0-d
// input is its own running sum
export const cumsum: Kernel<'cumsum', TfjsBackend> = (ctx, x, { dim }) =>
  ctx.backend.compute('cumsum', ctx.dtype, () => {
    if (shapeSize(x.shape) === 0) return tf.zeros([...ctx.shape], ctx.dtype as 'float32' | 'int32');
    const v = ctx.backend.view(x);
    return x.shape.length === 0 ? tf.clone(v) : tf.cumsum(v, dim);
  });
