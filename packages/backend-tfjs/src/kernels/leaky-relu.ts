import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const leakyRelu: KernelFactory<'leakyRelu'> = (h) => (x, { negativeSlope }) =>
  h.compute('leakyRelu', x.dtype, () => tf.leakyRelu(h.view(x), negativeSlope));
