import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { operand } from '../ops.js';

export const gt: KernelFactory<'gt'> = (h) => (a, b) =>
  h.compute('gt', 'bool', () => h.expand(tf.greater(operand(h.operand(a)), operand(h.operand(b))), a.shape));
