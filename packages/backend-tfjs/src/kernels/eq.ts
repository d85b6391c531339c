import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { operand } from '../ops.js';

export const eq: KernelFactory<'eq'> = (h) => (a, b) =>
  h.compute('eq', 'bool', () => h.expand(tf.equal(operand(h.operand(a)), operand(h.operand(b))), a.shape));
