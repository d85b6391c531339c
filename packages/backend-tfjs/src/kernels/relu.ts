import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';

// tfjs keeps NaN (PyTorch does too) on both engines
export const relu: Kernel<'relu', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('relu', ctx.dtype, () => tf.relu(ctx.backend.view(x)));
