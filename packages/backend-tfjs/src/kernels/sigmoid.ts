import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const sigmoid: Kernel<'sigmoid', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('sigmoid', ctx.dtype, () => tf.sigmoid(ctx.backend.view(x)));
