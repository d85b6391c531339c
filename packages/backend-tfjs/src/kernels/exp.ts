import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const exp: KernelFactory<'exp'> = (h) => (x) =>
  h.compute('exp', x.dtype, () => tf.exp(h.view(x)));
