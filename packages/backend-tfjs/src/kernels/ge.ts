import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { operand } from '../ops.js';

export const ge: KernelFactory<'ge'> = (h) => (a, b) =>
  h.compute('ge', 'bool', () => h.expand(tf.greaterEqual(operand(h.operand(a)), operand(h.operand(b))), a.shape));
