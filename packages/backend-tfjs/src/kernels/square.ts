import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { imul } from '../ops.js';

// int32 squares wrap modulo 2^32 like PyTorch's (tfjs's cpu engine rounds them through float)
export const square: KernelFactory<'square'> = (h) => (x) =>
  h.compute('square', x.dtype, () => {
    const v = h.view(x);
    return x.dtype === 'int32' ? imul(v, v, h.engine) : tf.square(v);
  });
