import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';

// int32 and bool sum to int32
export const sum: Kernel<'sum', TfjsBackend> = (ctx, x, { dim, keepdim }) =>
  ctx.backend.compute('sum', ctx.dtype, () => {
    // tfjs-wasm sums an empty lane to uninitialised memory
    if (x.shape.some((d) => d === 0)) return tf.zeros([...ctx.shape], td(ctx.dtype));
    const v = ctx.backend.view(x);
    return tf.sum(x.dtype === 'bool' ? tf.cast(v, 'int32') : v, [...dim], keepdim);
  });
