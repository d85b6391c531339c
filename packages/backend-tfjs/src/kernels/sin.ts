import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const sin: Kernel<'sin', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('sin', ctx.dtype, () => tf.sin(ctx.backend.view(x)));
