import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { operand } from '../ops.js';

export const le: KernelFactory<'le'> = (h) => (a, b) =>
  h.compute('le', 'bool', () => h.expand(tf.lessEqual(operand(h.operand(a)), operand(h.operand(b))), a.shape));
