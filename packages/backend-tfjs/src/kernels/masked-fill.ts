import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { select, td } from '../ops.js';

export const maskedFill: KernelFactory<'maskedFill'> = (h) => (x, mask, { value }) =>
  h.compute('maskedFill', x.dtype, () => {
    const v = h.view(x);
    const fill = tf.scalar(x.dtype === 'bool' ? Number(value !== 0) : value, td(x.dtype));
    return select(h.view(mask), tf.broadcastTo(fill, [...x.shape]), v);
  });
