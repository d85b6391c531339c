import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const neg: KernelFactory<'neg'> = (h) => (x) =>
  h.compute('neg', x.dtype, () => tf.neg(h.view(x)));
