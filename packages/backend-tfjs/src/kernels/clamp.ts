import * as tf from '@tensorflow/tfjs-core';
import type { Kernel } from '@tensorgrad/tensor/backend';
import type { TfjsBackend } from '../backend.js';
import { td } from '../ops.js';

// maximum then minimum, not clipByValue: PyTorch's order (min > max gives max everywhere, where
// clipByValue throws) and NaN kept (tfjs-wasm's clipByValue turns it into the lower bound; its
// maximum/minimum propagate it, as the cpu engine's do)
export const clamp: Kernel<'clamp', TfjsBackend> = (ctx, x, { min, max }) =>
  ctx.backend.compute('clamp', ctx.dtype, () => {
    let out = ctx.backend.view(x);
    if (min !== null) out = tf.maximum(out, tf.scalar(min, td(x.dtype)));
    if (max !== null) out = tf.minimum(out, tf.scalar(max, td(x.dtype)));
    return out;
  });
