import * as tf from '@tensorflow/tfjs-core';
import type { KernelFactory } from '../host.js';
import { imul } from '../ops.js';

// int32 products wrap modulo 2^32 (see imul); bool * bool is logical and
export const mul: KernelFactory<'mul'> = (h) => (a, b) =>
  h.compute('mul', a.dtype, () => {
    const x = h.operand(a);
    const y = h.operand(b);
    const r = a.dtype === 'bool' ? tf.logicalAnd(x, y) : a.dtype === 'int32' ? imul(x, y, h.engine) : tf.mul(x, y);
    return h.expand(r, a.shape);
  });
