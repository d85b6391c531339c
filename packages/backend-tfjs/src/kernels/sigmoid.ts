import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const sigmoid: KernelFactory<'sigmoid'> = (h) => (x) =>
  h.compute('sigmoid', x.dtype, () => tf.sigmoid(h.view(x)));
