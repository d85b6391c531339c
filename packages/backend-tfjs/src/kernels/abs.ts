import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const abs: Kernel<'abs', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('abs', ctx.dtype, () => tf.abs(ctx.backend.view(x)));
