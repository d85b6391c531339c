import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const leakyRelu: Kernel<'leakyRelu', TfjsBackend> = (ctx, x, { negativeSlope }) =>
  ctx.backend.compute('leakyRelu', ctx.dtype, () => tf.leakyRelu(ctx.backend.view(x), negativeSlope));
