import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// bool + bool is logical or in PyTorch (tfjs would add the bytes); broadcast operands stay
// unexpanded (tfjs broadcasts them)
export const add: KernelFactory<'add'> = (h) => (a, b) =>
  h.compute('add', a.dtype, () => {
    const x = h.operand(a);
    const y = h.operand(b);
    return h.expand(a.dtype === 'bool' ? tf.logicalOr(x, y) : tf.add(x, y), a.shape);
  });
