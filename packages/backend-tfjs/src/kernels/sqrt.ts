import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const sqrt: Kernel<'sqrt', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('sqrt', ctx.dtype, () => tf.sqrt(ctx.backend.view(x)));
