import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const log: KernelFactory<'log'> = (h) => (x) =>
  h.compute('log', x.dtype, () => tf.log(h.view(x)));
