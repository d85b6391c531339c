import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const abs: KernelFactory<'abs'> = (h) => (x) =>
  h.compute('abs', x.dtype, () => tf.abs(h.view(x)));
