import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { td } from '../ops.js';

// maximum then minimum, not clipByValue: PyTorch's order (min > max gives max everywhere, where
// clipByValue throws) and NaN kept (tfjs-wasm's clipByValue turns it into the lower bound; its
// maximum/minimum propagate it, as the cpu engine's do)
export const clamp: KernelFactory<'clamp'> = (h) => (x, { min, max }) =>
  h.compute('clamp', x.dtype, () => {
    let out = h.view(x);
    if (min !== null) out = tf.maximum(out, tf.scalar(min, td(x.dtype)));
    if (max !== null) out = tf.minimum(out, tf.scalar(max, td(x.dtype)));
    return out;
  });
