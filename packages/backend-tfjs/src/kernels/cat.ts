import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { td } from '../ops.js';

export const cat: KernelFactory<'cat'> = (h) => (xs, { dim }) =>
  h.compute('cat', xs[0]!.dtype, () => {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[dim] = xs.reduce((s, x) => s + x.shape[dim]!, 0);
    // tfjs's concat needs every input to have elements
    const parts = xs.filter((x) => x.shape.every((d) => d > 0)).map((x) => h.view(x));
    if (parts.length === 0) return tf.zeros(shape, td(first.dtype));
    return parts.length === 1 ? tf.reshape(parts[0]!, shape) : tf.concat(parts, dim);
  });
