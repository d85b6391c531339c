import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

export const sub: KernelFactory<'sub'> = (h) => (a, b) => h.compute('sub', a.dtype, () => h.expand(tf.sub(h.operand(a), h.operand(b)), a.shape));
