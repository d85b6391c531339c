import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { imul } from '../ops.js';

// int32 squares wrap modulo 2^32 like PyTorch's (tfjs's cpu engine rounds them through float)
export const square: Kernel<'square', TfjsBackend> = (ctx, x) =>
  ctx.backend.compute('square', ctx.dtype, () => {
    const v = ctx.backend.view(x);
    return x.dtype === 'int32' ? imul(v, v, ctx.backend.engine) : tf.square(v);
  });
