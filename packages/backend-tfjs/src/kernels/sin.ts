import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const sin: KernelFactory<'sin'> = (h) => (x) =>
  h.compute('sin', x.dtype, () => tf.sin(h.view(x)));
