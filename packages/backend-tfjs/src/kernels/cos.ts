import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const cos: Kernel<'cos', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('cos', ctx.dtype, () => tf.cos(ctx.backend.view(x)));
