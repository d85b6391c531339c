import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const cos: KernelFactory<'cos'> = (h) => (x) =>
  h.compute('cos', x.dtype, () => tf.cos(h.view(x)));
