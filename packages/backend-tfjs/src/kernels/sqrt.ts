import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const sqrt: KernelFactory<'sqrt'> = (h) => (x) =>
  h.compute('sqrt', x.dtype, () => tf.sqrt(h.view(x)));
