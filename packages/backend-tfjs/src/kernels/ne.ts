import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { operand } from '../ops.js';

export const ne: KernelFactory<'ne'> = (h) => (a, b) =>
  h.compute('ne', 'bool', () => h.expand(tf.notEqual(operand(h.operand(a)), operand(h.operand(b))), a.shape));
