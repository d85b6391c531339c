import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';

export const cat: Kernel<'cat', TfjsBackend> = (ctx, xs, { dim }) =>
  ctx.backend.compute('cat', ctx.dtype, () => {
    // tfjs's concat needs every input to have elements
    const parts = xs.filter((x) => x.shape.every((d) => d > 0)).map((x) => ctx.backend.view(x));
    if (parts.length === 0) return tf.zeros([...ctx.shape], td(ctx.dtype));
    return parts.length === 1 ? tf.reshape(parts[0]!, [...ctx.shape]) : tf.concat(parts, dim);
  });
