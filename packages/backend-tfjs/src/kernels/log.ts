import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const log: Kernel<'log', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('log', ctx.dtype, () => tf.log(ctx.backend.view(x)));
