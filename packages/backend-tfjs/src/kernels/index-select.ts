import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { KernelFactory } from '../host.js';
import { td } from '../ops.js';

export const indexSelect: KernelFactory<'indexSelect'> = (h) => (x, index, { dim }) =>
  h.compute('indexSelect', x.dtype, () => {
    const k = shapeSize(index.shape);
    const shape = [...x.shape];
    shape[dim] = k;
    if (shapeSize(shape) === 0) return tf.zeros(shape, td(x.dtype));
    return tf.gather(h.view(x), tf.reshape(h.view(index), [k]), dim);
  });
