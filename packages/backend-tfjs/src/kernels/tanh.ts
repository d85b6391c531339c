import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const tanh: KernelFactory<'tanh'> = (h) => (x) =>
  h.compute('tanh', x.dtype, () => tf.tanh(h.view(x)));
