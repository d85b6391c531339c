import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// int32 and bool sum to int32
export const sum: KernelFactory<'sum'> = (h) => (x, { dim, keepdim }) =>
  h.compute('sum', x.dtype === 'bool' ? 'int32' : x.dtype, () => {
    if (x.shape.some((d) => d === 0)) {
      // tfjs-wasm sums an empty lane to uninitialised memory
      const shape = x.shape.flatMap((d, i) => (dim.includes(i) ? (keepdim ? [1] : []) : [d]));
      return tf.zeros(shape, x.dtype === 'float32' ? 'float32' : 'int32');
    }
    const v = h.view(x);
    return tf.sum(x.dtype === 'bool' ? tf.cast(v, 'int32') : v, [...dim], keepdim);
  });
