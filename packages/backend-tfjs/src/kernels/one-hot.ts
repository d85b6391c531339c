import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const oneHot: Kernel<'oneHot', TfjsBackend> = (ctx, x, { numClasses }) =>
  ctx.backend.compute('oneHot', ctx.dtype, () => {
    const n = shapeSize(x.shape);
    if (n === 0 || numClasses === 0) return tf.zeros([...ctx.shape], 'int32');
    // tfjs's oneHot refuses depth 1; the only valid index is then 0, so every row is [1]
    if (numClasses === 1) return tf.ones([...ctx.shape], 'int32');
    return tf.reshape(tf.oneHot(tf.reshape(ctx.backend.view(x), [n]), numClasses, 1, 0, 'int32'), [...ctx.shape]);
  });
