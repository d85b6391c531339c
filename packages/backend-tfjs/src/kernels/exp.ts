import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const exp: Kernel<'exp', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('exp', ctx.dtype, () => tf.exp(ctx.backend.view(x)));
