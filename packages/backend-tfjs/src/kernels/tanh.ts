import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const tanh: Kernel<'tanh', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('tanh', ctx.dtype, () => tf.tanh(ctx.backend.view(x)));
