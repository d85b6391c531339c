import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// tfjs keeps NaN (PyTorch does too) on both engines
export const relu: KernelFactory<'relu'> = (h) => (x) =>
  h.compute('relu', x.dtype, () => tf.relu(h.view(x)));
