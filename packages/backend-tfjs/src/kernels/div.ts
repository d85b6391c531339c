import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';

// floating operands only (the front-end casts integers): tfjs's RealDiv
export const div: KernelFactory<'div'> = (h) => (a, b) => h.compute('div', a.dtype, () => h.expand(tf.div(h.operand(a), h.operand(b)), a.shape));
