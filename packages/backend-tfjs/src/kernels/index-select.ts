import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';

export const indexSelect: Kernel<'indexSelect', TfjsBackend> = (ctx, x, index, { dim }) =>
  ctx.backend.compute('indexSelect', ctx.dtype, () => {
    if (shapeSize(ctx.shape) === 0) return tf.zeros([...ctx.shape], td(ctx.dtype));
    return tf.gather(ctx.backend.view(x), tf.reshape(ctx.backend.view(index), [shapeSize(index.shape)]), dim);
  });
