import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// tfjs maps NaN to 0, as the reference CPU backend does
export const sign: KernelFactory<'sign'> = (h) => (x) =>
  h.compute('sign', x.dtype, () => tf.sign(h.view(x)));
