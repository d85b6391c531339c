import * as tf from '@tensorflow/tfjs-core';
import { shapeSize } from '@tensorgrad/tensor';
import type { KernelFactory } from '../host.js';

export const oneHot: KernelFactory<'oneHot'> = (h) => (x, { numClasses }) =>
  h.compute('oneHot', 'int32', () => {
    const shape = [...x.shape, numClasses];
    const n = shapeSize(x.shape);
    if (n === 0 || numClasses === 0) return tf.zeros(shape, 'int32');
    return tf.reshape(tf.oneHot(tf.reshape(h.view(x), [n]), numClasses, 1, 0, 'int32'), shape);
  });
