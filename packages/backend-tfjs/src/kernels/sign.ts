import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// tfjs maps NaN to 0, as the reference CPU backend does
export const sign: Kernel<'sign', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('sign', ctx.dtype, () => tf.sign(ctx.backend.view(x)));
