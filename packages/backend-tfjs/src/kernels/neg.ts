import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

export const neg: Kernel<'neg', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('neg', ctx.dtype, () => tf.neg(ctx.backend.view(x)));
