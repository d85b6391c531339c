import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { operand } from '../ops.js';

export const lt: KernelFactory<'lt'> = (h) => (a, b) =>
  h.compute('lt', 'bool', () => h.expand(tf.less(operand(h.operand(a)), operand(h.operand(b))), a.shape));
